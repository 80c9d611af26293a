// Makes a store with one product for the /dli benchmark: a signed catalog in the licence folder
// and one installed retail key. Usage: node bench/setup.mjs HOME
// build.mjs uses it too, to take the code cache after a /dli.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, mintProductKey, signCatalog } from '@slm/core';

const home = process.argv[2];
const vendor = generateSigningKey();
const catalog = signCatalog(
  {
    version: 1,
    vendor: { name: 'Bench Vendor', publicKey: vendor.publicKey },
    serviceUrl: 'https://activation.example/',
    issuedAt: new Date().toISOString(),
    products: [
      {
        productId: '0b5e0000-0000-4000-8000-000000000001',
        name: 'Bench Product',
        skus: [
          {
            activationId: '0b5e0000-0000-4000-8000-000000000101',
            skuCode: 101,
            name: 'Professional',
            description: 'Bench Product Professional',
            channels: ['retail'],
          },
        ],
      },
    ],
  },
  vendor.privateKeyPem,
);
if (!catalog.ok) throw catalog.error;
mkdirSync(join(home, 'licences'), { recursive: true });
writeFileSync(join(home, 'licences', 'catalog.slm'), catalog.value);
const key = mintProductKey(new Uint8Array(32).fill(7), {
  channel: 'retail',
  skuCode: 101,
  serial: 1,
});
const bin = new URL('../bin/slmgr.js', import.meta.url).pathname;
execFileSync(process.execPath, [bin, '/ipk', key], {
  env: { ...process.env, SLM_HOME: home, SLM_LICENCE_DIR: join(home, 'licences') },
});
