// `pnpm start`: the local lab. Runs the vendor activation service (slm-api lab) and, once the
// lab's vendor and catalog exist, a volume host for the lab (slm-kms); both print the slmgr
// commands to paste. Ctrl-C stops both. Run it again to reuse the lab in ./lab.
// Ports: SLM_LAB_PORT for the service (default 8470), SLM_LAB_KMS_PORT for the volume host
// (default 1688; the second volume host the service prints is one above it).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const lab = resolve(process.argv[2] ?? 'lab');
const servicePort = portFrom('SLM_LAB_PORT', 8470);
const kmsPort = portFrom('SLM_LAB_KMS_PORT', 1688);
const root = fileURLToPath(new URL('..', import.meta.url));
const children = [];

function portFrom(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (Number.isInteger(port) && port > 0 && port < 65_535) return port;
  process.stderr.write(`${name} takes a port from 1 to 65534, not ${text}\n`);
  process.exit(2);
}

function start(args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code) => stopAll(code ?? 0));
  return child;
}

function stopAll(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(0));

const service = start([
  join(root, 'apps/http-api/dist/bin.js'),
  'lab',
  lab,
  '--port',
  String(servicePort),
  '--kms-port',
  String(kmsPort),
]);
const signedCatalog = join(lab, 'vendor', 'catalog.signed');
const keys = join(lab, 'keys.json');
// The service publishes the catalog and mints the demo keys right after it starts.
for (let waited = 0; waited < 60_000 && service.exitCode === null; waited += 200) {
  if (existsSync(signedCatalog) && existsSync(keys)) break;
  await sleep(200);
}
if (service.exitCode === null) {
  await sleep(500);
  start([join(root, 'apps/kms-server/scripts/lab.mjs'), lab, '--port', String(kmsPort)]);
}
