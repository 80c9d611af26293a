// Where better-sqlite3 is installed beside slmgr, and which version it is.
'use strict';
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');

/** Node's own `require` from the bundle's folder, not the bundle's. */
const installed = createRequire(__filename);
const folder = dirname(installed.resolve('better-sqlite3/package.json'));

exports.requireInstalled = installed;
exports.folder = folder;
exports.version = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
