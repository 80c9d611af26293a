// What `better-sqlite3` is inside the slmgr bundle (build.mjs points the imports here): the
// package's JavaScript bundled with slmgr, so a start neither resolves nor compiles its ten files,
// when the package installed beside slmgr is the version bundled; otherwise the installed package
// itself, so that its JavaScript always matches its native addon.
'use strict';
const installed = require('./installed-sqlite.cjs');

module.exports =
  installed.version === require('better-sqlite3/package.json').version
    ? require('better-sqlite3')
    : installed.requireInstalled('better-sqlite3');
