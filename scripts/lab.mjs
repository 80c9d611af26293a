// `pnpm start`: the local lab. Runs the vendor activation service (slm-api lab) and, once the
// lab's vendor and catalog exist, a volume host for the lab (slm-kms); both print the slmgr
// commands to paste. Ctrl-C stops both. Run it again to reuse the lab in ./lab.
// Ports: SLM_LAB_PORT for the service (default 8470), SLM_LAB_KMS_PORT for the volume host
// (default 1688; the second volume host the service prints is one above it). A port given in
// these variables is used or refused; a default port that is taken gives way to a free one.
// If either child stops while the lab runs, the lab stops the other and exits non-zero.
// The volume host's home (LAB/kms-host) is made a volume host machine as on a real one, with
// slmgr /ilc, /ipk HOSTKEY and /ato against the lab's service, so `slmgr /dlv` reads it.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const lab = resolve(process.argv[2] ?? 'lab');
const root = fileURLToPath(new URL('..', import.meta.url));
const children = [];
let stopping = false;

function say(text) {
  process.stderr.write(`lab: ${text}\n`);
}

function portFrom(name) {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (port >= 1 && port <= 65_534) return port;
  say(`${name} takes a port from 1 to 65534, not ${text}`);
  process.exit(2);
}

function isFree(port, host) {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', (error) => done(error.code === 'EADDRNOTAVAIL'));
    probe.listen(port, host, () => probe.close(() => done(true)));
  });
}

async function freePort() {
  const probe = createServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

// The volume host listens on IPv4 and IPv6 loopback, so both must be free.
async function kmsPortFrom(name, fallback) {
  const asked = portFrom(name);
  const port = asked ?? fallback;
  if ((await isFree(port, '127.0.0.1')) && (await isFree(port, '::1'))) return port;
  if (asked !== undefined) {
    say(`port ${port} (${name}) is taken: stop what listens there or set ${name} to another`);
    process.exit(1);
  }
  const free = await freePort();
  say(`port ${port} is taken; the volume host uses ${free} (set ${name} to choose one)`);
  return free;
}

async function servicePortFrom(name) {
  const asked = portFrom(name);
  if (asked === undefined || (await isFree(asked, '127.0.0.1'))) return asked;
  say(`port ${asked} (${name}) is taken: stop what listens there or set ${name} to another`);
  process.exit(1);
}

function start(name, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    const how = signal === null ? `exit code ${code}` : `killed by ${signal}`;
    say(`${name} stopped unexpectedly (${how}); stopping the lab`);
    stopAll(code === 0 || code === null ? 1 : code);
  });
  return child;
}

function stopAll(code) {
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  process.exitCode = code;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(0));

const servicePort = await servicePortFrom('SLM_LAB_PORT');
const kmsPort = await kmsPortFrom('SLM_LAB_KMS_PORT', 1688);
start('the activation service (slm-api lab)', [
  join(root, 'apps/http-api/dist/bin.js'),
  'lab',
  lab,
  ...(servicePort === undefined ? [] : ['--port', String(servicePort)]),
  '--kms-port',
  String(kmsPort),
]);
const signedCatalog = join(lab, 'vendor', 'catalog.signed');
const keys = join(lab, 'keys.json');
// The service publishes the catalog and mints the demo keys right after it starts.
for (let waited = 0; waited < 60_000 && !stopping; waited += 200) {
  if (existsSync(signedCatalog) && existsSync(keys)) break;
  await sleep(200);
}
if (!stopping) await sleep(500);
if (!stopping) await prepareHost(join(lab, 'kms-host'));
if (!stopping) {
  start('the volume host (apps/kms-server/scripts/lab.mjs)', [
    join(root, 'apps/kms-server/scripts/lab.mjs'),
    lab,
    '--port',
    String(kmsPort),
  ]);
}

// A lab made before the host home was a machine store holds only the host identity there; the
// store would take that for the remains of a lost store, so it goes (slm-kms's lab rewrites it).
function clearStandIn(home) {
  const privateDir = join(home, 'private');
  if (!existsSync(privateDir) || readdirSync(privateDir).join() !== 'volume-host.json') return;
  rmSync(join(privateDir, 'volume-host.json'));
  rmdirSync(privateDir);
}

async function prepareHost(home) {
  if (existsSync(join(home, 'store.db'))) return;
  clearStandIn(home);
  const { volumeHost } = JSON.parse(readFileSync(keys, 'utf8'));
  const slmgr = join(root, 'apps/cli/bin/slmgr.js');
  const env = { ...process.env, SLM_HOME: home };
  for (const args of [['/ilc', signedCatalog], ['/ipk', volumeHost], ['/ato']]) {
    try {
      await promisify(execFile)(process.execPath, [slmgr, ...args], { env, timeout: 30_000 });
    } catch (error) {
      // The host still runs; only slmgr /dlv on its home will not show it.
      const said = `${error.stderr ?? error.message}`.trim().replaceAll(volumeHost, '*****');
      say(`slmgr ${args[0]} on the volume host's home ${home} failed: ${said}`);
      return;
    }
  }
}
