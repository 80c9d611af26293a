#!/usr/bin/env node
// Starts slmgr from its CommonJS bundle with the V8 code cache made at build time, so a start
// neither wakes Node's ES module loader nor compiles the code it runs. The cache is used only when
// its first 32 bytes are the SHA-256 of the text compiled and of the rest of the cache (so never
// for other code, nor damaged), and V8 uses it only if the same V8 with the same flags made it;
// otherwise slmgr compiles the bundle, a little slower and with the same behaviour.
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'slmgr.cjs');
// build.mjs wraps the bundle the same way to make the cache; the digest tells if they differ.
const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
const script = new Script(wrapped, { filename: bundle, cachedData: codeCache(wrapped) });
const bundleModule = { exports: {}, filename: bundle, id: bundle };
script.runInThisContext()(
  bundleModule.exports,
  createRequire(bundle),
  bundleModule,
  bundle,
  dirname(bundle),
);

/** The code cache made for `text`, or undefined when there is none, or not for this text. */
function codeCache(text) {
  let file;
  try {
    file = readFileSync(`${bundle}.cache`);
  } catch {
    return undefined;
  }
  const data = file.subarray(32);
  const digest = createHash('sha256').update(text).update(data).digest();
  return file.length > 32 && digest.equals(file.subarray(0, 32)) ? data : undefined;
}
