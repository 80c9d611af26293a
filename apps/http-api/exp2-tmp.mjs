import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@slm/core';

const { initVendor, openVendor, mintBatch, createApp } = await import('./dist/index.js');
const dir = await mkdtemp(join(tmpdir(), 'exp-'));
await initVendor(dir, { name: 'x', host: '127.0.0.1', port: 0 });
const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
cfg.rateLimit = {
  perAddress: { burst: 1e6, perMinute: 6e7 },
  perKey: { burst: 1e6, perMinute: 6e7 },
};
await writeFile(join(dir, 'config.json'), JSON.stringify(cfg));
const { deps } = await openVendor(dir, () => {});
const input = JSON.parse(await readFile(join(dir, 'catalog.json'), 'utf8'));
await deps.catalogs.publish(deps.vdb.db, input, deps.secrets.privateKeyPem, Date.now());
const sku = deps.catalogs.current.catalog.products[0].skus[0];
const keys = core.unwrap(
  await mintBatch(
    deps.vdb,
    deps.secrets.keySecret,
    { sku, channel: 'retail', count: 50 },
    Date.now(),
  ),
).keys;
const app = createApp(deps);
const body = (i) =>
  JSON.stringify({
    key: keys[i % 50],
    activationId: sku.activationId,
    fingerprint: randomBytes(16).toString('hex'),
    installation: { clientMachineId: '0a4d55a8-d778-4e1a-8d2f-95f8c2b1e0aa' },
  });
for (let i = 0; i < 500; i++)
  await app.request('/v1/activations/online', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(i),
  });
const N = 4000;
const t = performance.now();
for (let i = 0; i < N; i++)
  await app.request('/v1/activations/online', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(i),
  });
console.log('per request us', (((performance.now() - t) / N) * 1000).toFixed(0));
process.exit(0);
