// What `bindings` is to the bundled better-sqlite3: the real package, told where better-sqlite3
// is installed, which inside a bundle it cannot work out from its caller's file name.
'use strict';
const bindings = require('bindings');
const { folder } = require('./installed-sqlite.cjs');

module.exports = (name) => bindings({ bindings: name, module_root: folder });
