// Benchmarks slm-kms against a bare Ed25519 baseline in the same run, then checks that idle
// connections cost nothing and that a million recorded clients do not slow counting down.
// Run after a build: pnpm --filter @slm/kms-server bench   (figures go to bench/RESULTS.md)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, issueHostCertificate, signCatalog, unwrap } from '@slm/core';
import { encodeRequest } from '@slm/kms-protocol';
import { exchange } from '@slm/volume-client';
import { CountingStore } from '../dist/counting/store.js';

const BIN = new URL('../bin/slm-kms.js', import.meta.url).pathname;
const BASELINE = new URL('./baseline.mjs', import.meta.url).pathname;
const PRODUCT = '7a0c1a2e-0000-4000-8000-00000000b000';
const SKU = '7a0c1a2e-0000-4000-8000-00000000b002';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONCURRENCY = 50;
const ROUNDS = 3;
// The flags the binary's shebang gives node, so the host runs as it would when installed.
const HOST_NODE_FLAGS = [
  ...readFileSync(BIN, 'utf8')
    .split('\n')[0]
    .split(' ')
    .filter((word) => word.startsWith('--')),
  ...(process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : []),
];

const vendor = generateSigningKey();
const results = {};

const home = makeHome();
try {
  seed(home, 25, 'warm');
  const only = process.env.BENCH_ONLY;
  if (only === undefined || only === 'throughput') results.throughput = await throughput(home);
  if (only === undefined || only === 'idle') results.idle = await idleConnections(home);
  if (only === undefined || only === 'scale') results.scale = await scale();
} finally {
  rmSync(home, { recursive: true, force: true });
}
console.log(JSON.stringify(results, null, 2));

function makeHome() {
  const dir = mkdtempSync(join(tmpdir(), 'slm-kms-bench-'));
  const host = generateSigningKey();
  const catalog = unwrap(
    signCatalog(
      {
        version: 1,
        vendor: { name: 'Bench Vendor', publicKey: vendor.publicKey },
        serviceUrl: 'http://127.0.0.1:1/',
        issuedAt: new Date().toISOString(),
        products: [
          {
            productId: PRODUCT,
            name: 'Bench',
            skus: [
              {
                activationId: SKU,
                skuCode: 7,
                name: 'Bench Enterprise',
                channels: ['volume_client'],
              },
            ],
          },
        ],
      },
      vendor.privateKeyPem,
    ),
  );
  const hostCertificate = issueHostCertificate(
    {
      hostId: 'bench-host',
      hostPublicKey: host.publicKey,
      activationIds: [SKU],
      hostKeyPartial: 'BENCH',
      issuedAt: Date.now() - 1000,
      expiresAt: null,
    },
    vendor.privateKeyPem,
  );
  mkdirSync(join(dir, 'private'), { recursive: true });
  const identity = {
    hostPrivateKeyPem: host.privateKeyPem,
    hostCertificate,
    vendorPublicKey: vendor.publicKey,
    catalog,
  };
  writeFileSync(join(dir, 'private', 'volume-host.json'), JSON.stringify(identity));
  return dir;
}

/** Records `n` distinct clients as seen now, so that every benchmark request activates. */
function seed(dir, n, prefix) {
  mkdirSync(join(dir, 'volume-host'), { recursive: true });
  const store = new CountingStore(join(dir, 'volume-host', 'counts.db'));
  const ids = (function* () {
    for (let i = 0; i < n; i++) yield `${prefix}-${i}`;
  })();
  store.seed(PRODUCT, ids, Date.now());
  void store.close(); // closes at once: no checkpoint thread here
}

/**
 * Host and baseline take turns (three rounds each), so that load from anything else on the
 * machine falls on both alike; the figures are the medians.
 */
async function throughput(dir) {
  const rounds = [];
  let responseBytes = 0;
  for (let turn = 0; turn < ROUNDS; turn++) {
    const host = await startHost(dir);
    responseBytes = await answerSize(host.port);
    const hostRun = probe(host.port, REQUESTS);
    const hostCpu = host.cpuSeconds();
    await host.stop();
    const baseline = await startBaseline(responseBytes);
    const baseRun = probe(baseline.port, REQUESTS);
    const baselineCpu = baseline.cpuSeconds();
    await baseline.stop();
    rounds.push({
      host: summary(hostRun),
      baseline: summary(baseRun),
      ratio: round2(hostRun.perSecond / baseRun.perSecond),
      hostCpuMsPerRequest: round2((hostCpu * 1000) / REQUESTS),
      baselineCpuMsPerRequest: round2((baselineCpu * 1000) / REQUESTS),
    });
  }
  return {
    requestsPerRound: REQUESTS,
    concurrency: CONCURRENCY,
    responseBytes,
    medianRatio: median(rounds.map((r) => r.ratio)),
    medianHostPerSecond: median(rounds.map((r) => r.host.perSecond)),
    medianBaselinePerSecond: median(rounds.map((r) => r.baseline.perSecond)),
    rounds,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function idleConnections(dir) {
  const host = await startHost(dir);
  const before = { rss: host.rssMb(), cpu: host.cpuSeconds() };
  const sockets = await Promise.all(Array.from({ length: 500 }, () => openIdle(host.port)));
  const held = { rss: host.rssMb(), cpu: host.cpuSeconds() };
  const samples = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    samples.push(host.rssMb());
  }
  const after = { rss: host.rssMb(), cpu: host.cpuSeconds() };
  const answered = probe(host.port, 200);
  for (const socket of sockets) socket.destroy();
  await host.stop();
  return {
    connections: sockets.length,
    rssMb: { before: before.rss, opened: held.rss, samplesWhileHeld: samples, after: after.rss },
    cpuSecondsWhileHeld5s: round2(after.cpu - held.cpu),
    stillAnswering: answered.outcomes,
  };
}

async function scale() {
  const out = {};
  for (const n of [1_000, 1_000_000]) {
    const dir = makeHome();
    const started = Date.now();
    seed(dir, n, 'seeded');
    const seededIn = (Date.now() - started) / 1000;
    const host = await startHost(dir);
    const run = probe(host.port, 10_000);
    out[n] = { seededSeconds: seededIn, ...summary(run), hostRssMb: host.rssMb() };
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  out.p99Ratio = round2(out[1_000_000].latencyMs.p99 / out[1_000].latencyMs.p99);
  return out;
}

function probe(port, n) {
  const args = [
    BIN,
    'probe',
    `127.0.0.1:${port}`,
    '--vendor-key',
    vendor.publicKey,
    '--product',
    SKU,
    '-n',
    String(n),
    '-c',
    String(CONCURRENCY),
    '--no-verify',
    '--json',
  ];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`probe failed: ${result.stdout} ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The size of one real activating answer, so the baseline answers as many bytes. */
async function answerSize(port) {
  const request = encodeRequest({
    activationId: SKU,
    clientMachineId: 'size-probe',
    workstation: '0'.repeat(32),
    licenceState: 2,
    requiredCount: 25,
    clientTime: Date.now(),
    nonce: 'sizeprobesizeprobe',
  });
  const reply = await exchange('127.0.0.1', port, request, 5000);
  if (!reply.ok) throw new Error(`no answer: ${reply.detail}`);
  return 12 + reply.frame.body.length;
}

function summary(run) {
  return { perSecond: run.perSecond, latencyMs: run.latencyMs, outcomes: run.outcomes };
}

async function startHost(dir) {
  const log = openSync(join(dir, 'host.log'), 'w');
  const child = spawn(
    process.execPath,
    [
      ...HOST_NODE_FLAGS,
      BIN,
      'run',
      '--home',
      dir,
      '--listen',
      '127.0.0.1',
      '--port',
      '0',
      '--max-connections',
      '4000',
    ],
    {
      stdio: ['ignore', log, 'inherit'],
    },
  );
  const port = await waitForPort(join(dir, 'host.log'));
  return withProcess(child, port);
}

async function startBaseline(responseBytes) {
  const child = spawn(process.execPath, [BASELINE, String(responseBytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve) =>
    child.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim()))),
  );
  return withProcess(child, port);
}

function withProcess(child, port) {
  const stat = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return {
    port,
    rssMb: () =>
      round2(
        Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
      ),
    cpuSeconds: () => round2((Number(stat()[11]) + Number(stat()[12])) / 100),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

async function waitForPort(logPath) {
  for (let i = 0; i < 200; i++) {
    const started = readFileSync(logPath, 'utf8')
      .split('\n')
      .find((line) => line.includes('"host started"'));
    if (started !== undefined) return JSON.parse(started).port;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the host did not start: ${readFileSync(logPath, 'utf8')}`);
}

function openIdle(port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function round2(value) {
  return Math.round(value * 100) / 100;
}
