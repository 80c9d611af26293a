// The real binaries end to end: `slm-api serve` in its own process, `slmgr` run as a process.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SLMGR = new URL('../bin/slmgr.js', import.meta.url).pathname;
const SLM_API = join(dirname(createRequire(import.meta.url).resolve('@slm/http-api')), 'bin.js');
const run = promisify(execFile);

async function exec(file: string, argv: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [file, ...argv], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let dir: string;
let url: string;
let log = '';
let keys: string[];
let stopService: () => void;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slmgr-e2e-'));
  const vendor = join(dir, 'vendor');
  const token = (await exec(SLM_API, ['init', vendor])).stdout.match(/slm_at_\S+/)?.[0] ?? '';
  await exec(SLM_API, ['catalog', 'publish', vendor]);
  const mint = ['keys', 'mint', vendor, '--sku', '101', '--channel', 'mak', '--count', '3'];
  keys = (await exec(SLM_API, [...mint, '--limit', '1'])).stdout.trim().split('\n');
  url = await serve(vendor);
  await publishFor(vendor, token);
});

afterAll(async () => {
  stopService?.();
  await rm(dir, { recursive: true, force: true });
});

function serve(vendor: string): Promise<string> {
  const child = spawn(process.execPath, [SLM_API, 'serve', vendor, '--port', '0']);
  stopService = () => child.kill('SIGTERM');
  child.stdout.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`slm-api did not start: ${log}`)), 20_000);
    child.stdout.on('data', () => {
      const line = log.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve(JSON.parse(line).url);
    });
  });
}

// The catalog names the service's address, which is only known once it listens.
async function publishFor(vendor: string, token: string): Promise<void> {
  const catalog = JSON.parse(await readFile(join(vendor, 'catalog.json'), 'utf8'));
  const res = await fetch(`${url}/v1/admin/catalog`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...catalog, serviceUrl: url }),
  });
  const { signedCatalog } = (await res.json()) as { signedCatalog: string };
  await writeFile(join(dir, 'catalog.signed'), signedCatalog);
}

async function machine(name: string, key: string) {
  const home = join(dir, name);
  const slmgr = (...argv: string[]) => exec(SLMGR, argv, { SLM_HOME: home });
  expect((await slmgr('/ilc', join(dir, 'catalog.signed'))).status).toBe(0);
  expect((await slmgr('/ipk', key)).status).toBe(0);
  return slmgr;
}

describe('slmgr and slm-api, the real binaries', () => {
  it('activates online, refuses a second machine over the MAK limit, and logs no key', async () => {
    const pc1 = await machine('pc1', keys[0]!);
    const pc2 = await machine('pc2', keys[0]!);

    expect((await pc1('/ato')).stdout).toContain('Product activated successfully');
    expect((await pc1('/dlv')).stdout).toMatch(/Extended PID: 00101-MAK-/);
    const refused = await pc2('/ato');
    expect(refused.status).toBe(5);
    expect(refused.stderr).toContain('key.limit_reached');
    for (const key of keys) expect(log).not.toContain(key);
  });

  it('activates by phone with the Installation ID that /dti prints', async () => {
    const pc3 = await machine('pc3', keys[1]!);
    const iid = /Installation ID: ([\d-]+)/.exec((await pc3('/dti')).stdout)?.[1] ?? '';
    const res = await fetch(`${url}/v1/activations/phone`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ installationId: iid }),
    });
    const { confirmationId } = (await res.json()) as { confirmationId: string };

    expect((await pc3('/atp', confirmationId)).status).toBe(0);
    expect((await pc3('/dli')).stdout).toContain('Licensed');
  });
});
