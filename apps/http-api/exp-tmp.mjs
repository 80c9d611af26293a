import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@slm/core';

const { initVendor, startService, mintBatch } = await import('./dist/index.js');
const dir = await mkdtemp(join(tmpdir(), 'exp-'));
await initVendor(dir, { name: 'x', host: '127.0.0.1', port: 0 });
const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
cfg.rateLimit = {
  perAddress: { burst: 1e6, perMinute: 6e7 },
  perKey: { burst: 1e6, perMinute: 6e7 },
};
cfg.logRequests = false;
await writeFile(join(dir, 'config.json'), JSON.stringify(cfg));
const svc = await startService(dir, { port: 0, log: () => {} });
const deps = svc.deps;
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
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL(svc.url);
function post(body) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: '/v1/activations/online',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const body = (i) =>
  JSON.stringify({
    key: keys[i % 50],
    activationId: sku.activationId,
    fingerprint: randomBytes(16).toString('hex'),
    installation: { clientMachineId: '0a4d55a8-d778-4e1a-8d2f-95f8c2b1e0aa' },
  });
for (let round = 0; round < 2; round++) {
  let t = performance.now();
  for (let i = 0; i < 1000; i++) await post(body(i));
  console.log('http serial us', (((performance.now() - t).toFixed(0) / 1000) * 1000) / 1000);
  const { createApp } = await import('./dist/index.js');
  const app = createApp(deps);
  t = performance.now();
  for (let i = 0; i < 1000; i++)
    await app.request('/v1/activations/online', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(i),
    });
  console.log('app.request serial us', (((performance.now() - t).toFixed(0) / 1000) * 1000) / 1000);
}
await svc.close();
process.exit(0);
