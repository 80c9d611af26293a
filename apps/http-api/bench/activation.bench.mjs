// Online activations per second with 50 keep-alive connections on loopback: the real slm-api
// against a bare node:http baseline that parses the same request and signs a grant of the same
// size. Every request activates a new machine, so each one checks the key, counts its
// activations, inserts a row and signs a grant. Run: pnpm --filter @slm/http-api bench
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// Baseline and service take turns, so load from elsewhere on the machine falls on both alike;
// the report gives each round and the medians.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CACHED_KEY = process.argv.includes('--cached-key');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const BIN = here('../dist/bin.js');
// The flags the binary's shebang gives node, so the service runs as it does when installed.
const BIN_FLAGS = readFileSync(BIN, 'utf8')
  .split('\n')[0]
  .split(' ')
  .filter((word) => word.startsWith('--'));

const dir = await mkdtemp(join(tmpdir(), 'slm-bench-'));
try {
  const vendor = await prepareVendor(join(dir, 'vendor'));
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const baseline = await measure(
      'baseline (node:http + Ed25519)',
      [here('baseline-server.mjs')],
      vendor,
    );
    const service = await measure(
      'slm-api',
      [...BIN_FLAGS, BIN, 'serve', vendor.dir, '--port', '0'],
      vendor,
    );
    rounds.push({ baseline, service });
  }
  report(rounds);
} finally {
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

async function prepareVendor(vendorDir) {
  await run([BIN, 'init', vendorDir]);
  const configFile = join(vendorDir, 'config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8'));
  const open = { burst: 1_000_000, perMinute: 60_000_000 };
  config.rateLimit = { perAddress: open, perKey: open };
  if (process.env.BENCH_NO_LOG) config.logRequests = false;
  if (process.env.BENCH_SIGNING_THREADS) {
    config.signingThreads = Number(process.env.BENCH_SIGNING_THREADS);
  }
  await writeFile(configFile, JSON.stringify(config));
  await run([BIN, 'catalog', 'publish', vendorDir]);
  const keysFile = join(vendorDir, 'keys.txt');
  await run([
    BIN,
    'keys',
    'mint',
    vendorDir,
    '--sku',
    '101',
    '--channel',
    'retail',
    '--count',
    '50',
    '--out',
    keysFile,
  ]);
  const keys = (await readFile(keysFile, 'utf8')).trim().split('\n');
  const catalog = JSON.parse(await readFile(join(vendorDir, 'catalog.json'), 'utf8'));
  return { dir: vendorDir, keys, activationId: catalog.products[0].skus[0].activationId };
}

async function measure(name, args, vendor) {
  const preload = CACHED_KEY ? ['--require', here('cached-signing-key.cjs')] : [];
  if (process.env.BENCH_PROFILE)
    preload.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`);
  // The request log goes to a file, as under a service manager: a pipe that the load generator
  // drains from its own busy event loop would throttle the server instead.
  const logFile = join(dir, `${name.split(' ')[0]}.log`);
  const log = await open(logFile, 'w');
  const child = spawn(process.execPath, [...preload, ...args], {
    stdio: ['ignore', log.fd, 'inherit'],
  });
  const url = await listeningUrl(child, logFile);
  await load(url, vendor, 2); // warm-up
  const cpuBefore = await cpuMs(child.pid);
  const result = await load(url, vendor, SECONDS);
  const cpu = (await cpuMs(child.pid)) - cpuBefore;
  const memory = await peakRss(child.pid);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await log.close();
  const ok = result['2xx'];
  return {
    name,
    rps: ok / SECONDS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    rssMb: memory,
    cpuMsPerRequest: ok > 0 ? cpu / ok : null,
  };
}

function load(url, vendor, duration) {
  let n = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: 'POST',
        path: '/v1/activations/online',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: body(vendor, n++) }),
      },
    ],
  });
}

function body(vendor, n) {
  return JSON.stringify({
    key: vendor.keys[n % vendor.keys.length],
    activationId: vendor.activationId,
    fingerprint: randomBytes(16).toString('hex'),
    installation: { clientMachineId: '0a4d55a8-d778-4e1a-8d2f-95f8c2b1e0aa' },
  });
}

async function listeningUrl(child, logFile) {
  for (let tries = 0; tries < 200 && child.exitCode === null; tries++) {
    const text = await readFile(logFile, 'utf8');
    const line = text.split('\n').find((l) => l.includes('"msg":"listening"'));
    if (line !== undefined) return JSON.parse(line).url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${logFile}: the server did not start`);
}

async function peakRss(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args[1]} failed`))));
  });
}

// User + system CPU time of a process so far, in milliseconds.
async function cpuMs(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function report(rounds) {
  const row = (label, r) =>
    `| ${label} | ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.rssMb} | ${r.cpuMsPerRequest?.toFixed(3)} | ${r.errors} |`;
  const ratios = rounds.map((r) => r.service.rps / r.baseline.rps);
  const services = rounds.map((r) => r.service);
  const ratio = median(ratios);
  const p99 = median(services.map((s) => s.p99));
  const rss = Math.max(...services.map((s) => s.rssMb));
  const errors = services.reduce((sum, s) => sum + s.errors, 0);
  const lines = [
    `online activations, ${CONNECTIONS} keep-alive connections, ${SECONDS} s x ${ROUNDS} rounds, node ${process.version}` +
      (CACHED_KEY ? ', signing key parsed once (--cached-key)' : ''),
    '',
    '| round | server | activations/s | p50 ms | p99 ms | peak RSS MB | CPU ms/request | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...rounds.flatMap((r, i) => [row(i + 1, r.baseline), row(i + 1, r.service)]),
    '',
    `ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
    `median ratio ${ratio.toFixed(2)}x (target >= 0.5x), median p99 ${p99} ms (target < 50), peak RSS ${rss} MB (target < 200)`,
  ];
  console.log(lines.join('\n'));
  const pass = ratio >= 0.5 && p99 < 50 && rss < 200 && errors === 0;
  process.exitCode = pass ? 0 : 1;
}
