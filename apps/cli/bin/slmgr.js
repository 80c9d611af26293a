#!/usr/bin/env node
// Starts slmgr from its CommonJS bundle with the V8 code cache made at build time, so a start
// neither wakes Node's ES module loader nor compiles the bundle again. The cache is used only
// when it was made for exactly this text (its first 32 bytes are the SHA-256 of the text) and by
// this V8 with these flags (V8 checks that and rejects it otherwise); without it, slmgr compiles.
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

/** The code cache made for `text`, or undefined when there is none. */
function codeCache(text) {
  let cache;
  try {
    cache = readFileSync(`${bundle}.cache`);
  } catch {
    return undefined;
  }
  const digest = createHash('sha256').update(text).digest();
  if (cache.length <= digest.length || !digest.equals(cache.subarray(0, digest.length))) return;
  return cache.subarray(digest.length);
}
