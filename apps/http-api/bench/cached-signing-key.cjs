// Preload for `bench --cached-key`: makes node:crypto's sign() reuse a parsed key for a PEM
// string, to show what caching the vendor KeyObject inside core's signBytes would give. Applied
// to both servers alike; the shipped service does not load it.
const crypto = require('node:crypto');
const { syncBuiltinESMExports } = require('node:module');

const parsed = new Map();
const original = crypto.sign;
crypto.sign = (algorithm, data, key, callback) => {
  if (typeof key === 'string') {
    let object = parsed.get(key);
    if (object === undefined) {
      object = crypto.createPrivateKey(key);
      parsed.set(key, object);
    }
    return original(algorithm, data, object, callback);
  }
  return original(algorithm, data, key, callback);
};
syncBuiltinESMExports();
