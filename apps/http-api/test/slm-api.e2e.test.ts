import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActivationClient } from '@slm/activation-client';
import { installationId, machineFingerprint, parseProductKey, unwrap } from '@slm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Served, SLM_API, serve, slmApi } from './binary.js';

let dir: string;
let keys: string[];
let token: string;
let service: Served;
let desktop: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-api-e2e-'));
  const init = await slmApi(['init', join(dir, 'vendor')]);
  token = init.stdout.match(/slm_at_[A-Za-z0-9_-]+/)?.[0] ?? '';
  await slmApi(['catalog', 'publish', join(dir, 'vendor')]);
  const minted = await slmApi([
    'keys',
    'mint',
    join(dir, 'vendor'),
    '--sku',
    '101',
    '--channel',
    'mak',
    '--count',
    '1200',
    '--limit',
    '2',
    '--out',
    join(dir, 'keys.txt'),
  ]);
  expect(minted.stderr).toContain('minting: 1200/1200 (100%)');
  keys = (await readFile(join(dir, 'keys.txt'), 'utf8')).trim().split('\n');
  const catalog = JSON.parse(await readFile(join(dir, 'vendor', 'catalog.json'), 'utf8'));
  desktop = catalog.products[0].skus[0].activationId;
  await openRateLimits(join(dir, 'vendor', 'config.json'));
  service = await serve(join(dir, 'vendor'));
});

// The 200-machine test sends 200 requests for one key at once, far past the per-key limit.
async function openRateLimits(file: string) {
  const config = JSON.parse(await readFile(file, 'utf8'));
  const open = { burst: 10_000, perMinute: 60_000 };
  await writeFile(
    file,
    JSON.stringify({ ...config, rateLimit: { perAddress: open, perKey: open } }),
  );
}

afterAll(async () => {
  await service?.stop();
  await rm(dir, { recursive: true, force: true });
});

const machine = (name: string) => machineFingerprint({ machineId: name }, 'salt').fingerprint;

describe('slm-api, the built binary', () => {
  it('init keeps the signing key and key secret readable only by their owner', async () => {
    for (const file of ['vendor-signing-key.pem', 'vendor-key-secret']) {
      expect((await stat(join(dir, 'vendor', file))).mode & 0o777).toBe(0o600);
    }
    expect(token).toMatch(/^slm_at_/);
    const database = await readFile(join(dir, 'vendor', 'vendor.sqlite'), 'latin1');
    expect(database).toContain('created by init');
    expect(database).not.toContain(token);
  });

  it('when a command names a folder without a vendor then it says so and exits 2', async () => {
    const missing = join(dir, 'no-vendor-here');
    const minted = await slmApi(['keys', 'mint', missing, '--sku', '101', '--channel', 'mak']);
    expect(minted.code).toBe(2);
    expect(minted.stderr).toBe(
      `slm-api: ${missing} is not a vendor folder (no config.json): create one with slm-api init ${missing}\n`,
    );
  });

  it('when the request headers are over 16 KiB then the answer is a 431 problem document', async () => {
    const { port } = new URL(service.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    });
    const [head = '', body = ''] = reply.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(body)).toMatchObject({ status: 431, code: 'http.headers_too_large' });
  });

  it.each([
    ['serve', '--port', '0x10'],
    ['serve', '--port', '70000'],
    ['lab', '--kms-port', '65535'],
  ])(
    'when %s is given %s %s then it is a usage error naming the value',
    async (command, option, value) => {
      const call = await slmApi([command, join(dir, 'vendor'), option, value]);
      expect(call.code).toBe(2);
      expect(call.stderr).toContain(`argument '${value}' is invalid`);
    },
  );

  it('init refuses a folder that already holds a vendor', async () => {
    const again = await slmApi(['init', join(dir, 'vendor')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds a vendor');
  });

  it('mints unique keys with their limit, and serves them to the client package', async () => {
    expect(new Set(keys).size).toBe(1200);
    const client = createActivationClient({ baseUrl: service.url });
    const request = (key: string, name: string) => ({
      key,
      activationId: desktop,
      fingerprint: machine(name),
      installation: { clientMachineId: '0a4d55a8-d778-4e1a-8d2f-95f8c2b1e0aa' },
    });

    const answers = [];
    for (const name of ['a', 'b', 'c'])
      answers.push(await client.activateOnline(request(keys[0]!, name)));
    expect(answers.map((a) => a.ok && (a.value.activated ? 'ok' : a.value.reason))).toEqual([
      'ok',
      'ok',
      'key.limit_reached',
    ]);
  });

  it('when 200 machines activate one MAK at once then exactly its limit of 2 succeed', async () => {
    const client = createActivationClient({ baseUrl: service.url, timeoutMs: 30_000 });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        client.activateOnline({
          key: keys[2]!,
          activationId: desktop,
          fingerprint: machine(`parallel-${i}`),
          installation: { clientMachineId: '0a4d55a8-d778-4e1a-8d2f-95f8c2b1e0aa' },
        }),
      ),
    );
    const verdicts = answers.map((a) =>
      a.ok ? (a.value.activated ? 'ok' : a.value.reason) : a.failure.kind,
    );
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(2);
    expect(verdicts.filter((v) => v === 'key.limit_reached')).toHaveLength(198);
  });

  it('answers phone activation and serves the catalog', async () => {
    const client = createActivationClient({ baseUrl: service.url });
    const iid = installationId(unwrap(parseProductKey(keys[1]!)), machine('phone')).digits;
    const answer = await client.activatePhone({ installationId: iid });
    expect(answer).toMatchObject({ ok: true, value: { activated: true } });
    expect(await client.catalog()).toMatchObject({ ok: true, value: { version: 1 } });
  });

  it('logs one JSON line per request and never a key or token', async () => {
    const client = createActivationClient({ baseUrl: service.url, token });
    await client.catalog();
    const lines = service
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.filter((l) => l.msg === 'request').length).toBeGreaterThanOrEqual(5);
    for (const key of keys.slice(0, 2)) expect(service.output()).not.toContain(key);
    expect(service.output()).not.toContain(token);
  });

  it('stops cleanly on SIGTERM', async () => {
    const extra = await serve(join(dir, 'vendor'));
    expect(await extra.stop()).toBe(0);
    expect(extra.output()).toContain('"msg":"stopped"');
  });

  // Under a service manager stdout is a file, not a pipe, so nothing else keeps the process
  // alive while it waits for the checkpoint worker: an unref'd worker ended it with code 13.
  it('when logging to a file after a checkpoint then SIGTERM still stops it cleanly', async () => {
    const logFile = join(dir, 'service.log');
    const log = await open(logFile, 'w');
    const args = [SLM_API, 'serve', join(dir, 'vendor'), '--port', '0'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', log.fd, log.fd] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 2000));

    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    await log.close();
    expect(await readFile(logFile, 'utf8')).toContain('"msg":"stopped"');
  });
});
