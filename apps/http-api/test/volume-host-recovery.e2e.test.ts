// The real binaries: a volume host whose identity file is lost cannot get a second certificate
// from slmgr /ato alone (a certificate cannot be recalled, so each one is an activation of the
// host key); slmgr says so and changes nothing, and once the vendor revokes the lost host's
// activation, /ato certifies the new host key and slm-kms starts.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Served, serve, slmApi } from './binary.js';
import type { Answer } from './harness.js';

const SERVICE_PORT = 18932;
const HOST_PORT = 18933;
const SLMGR = join(
  dirname(createRequire(import.meta.url).resolve('@slm/cli/package.json')),
  'bin',
  'slmgr.js',
);
// The host binary of the workspace: this package does not depend on it, the lab runs it too.
const SLM_KMS = new URL('../../kms-server/bin/slm-kms.js', import.meta.url).pathname;
const run = promisify(execFile);

let dir: string;
let token: string;
let service: Served;
let catalogFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-host-recovery-'));
  const vendor = join(dir, 'vendor');
  token = (await slmApi(['init', vendor])).stdout.match(/slm_at_\S+/)?.[0] ?? '';
  await slmApi(['catalog', 'publish', vendor]);
  service = await serve(vendor, ['--port', String(SERVICE_PORT)]);
  const catalog = JSON.parse(await readFile(join(vendor, 'catalog.json'), 'utf8'));
  const published = await admin('/v1/admin/catalog', 'PUT', {
    ...catalog,
    serviceUrl: service.url,
  });
  catalogFile = join(dir, 'catalog.signed');
  await writeFile(catalogFile, published.signedCatalog);
});

afterAll(async () => {
  await service?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function admin(path: string, method = 'GET', body?: unknown): Promise<Answer> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Answer;
}

async function slmgr(home: string, ...argv: string[]) {
  try {
    const env = { ...process.env, SLM_HOME: home };
    const { stdout } = await run(process.execPath, [SLMGR, ...argv], { env, timeout: 30_000 });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The key ending in `partial`, as the administration API lists it. */
async function keyEndingIn(partial: string): Promise<{ id: number; activationsUsed: number }> {
  return (await admin(`/v1/admin/keys?partial=${partial}`)).keys[0];
}

/** Runs `slm-kms run` on the home until it says it started (or exits); stops it either way. */
async function hostStarts(home: string): Promise<{ started: boolean; output: string }> {
  const args = ['run', '--home', home, '--listen', '127.0.0.1', '--port', String(HOST_PORT)];
  const child = spawn(process.execPath, [SLM_KMS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 15_000);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"host started"')) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  await stop(child);
  return { started, output };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('a volume host that lost its identity file', () => {
  it.each([
    ['deleted', null],
    ['emptied', ''],
    ['left as {}', '{}'],
  ])(
    'when the file is %s then /ato alone changes nothing, and after a revoke it certifies the new key',
    async (_how, content) => {
      const [key] = (
        await admin('/v1/admin/keys', 'POST', {
          skuCode: 101,
          channel: 'volume_host',
          count: 1,
          activationLimit: 1,
        })
      ).keys as string[];
      const partial = (key as string).slice(-5);
      const home = join(dir, `host-${content ?? 'deleted'}`.replace(/\W/g, '_'));
      expect((await slmgr(home, '/ilc', catalogFile)).status).toBe(0);
      expect((await slmgr(home, '/ipk', key as string)).status).toBe(0);
      expect((await slmgr(home, '/ato')).status).toBe(0);
      const identity = join(home, 'private', 'volume-host.json');
      if (content === null) await rm(identity);
      else await writeFile(identity, content);

      const refused = await slmgr(home, '/ato');
      expect(refused.status).toBe(6);
      expect(refused.stderr).toContain(
        `ask the vendor to revoke this host's activation of the key ending in ${partial}`,
      );
      expect((await hostStarts(home)).started).toBe(false);

      const { id } = await keyEndingIn(partial);
      const [activation] = (await admin(`/v1/admin/keys/${id}/activations`)).activations;
      await admin(`/v1/admin/activations/${activation.id}/revoke`, 'POST');
      const again = await slmgr(home, '/ato');

      expect(again).toMatchObject({ status: 0, stderr: '' });
      expect(again.stdout).toContain('Product activated successfully');
      const host = await hostStarts(home);
      expect(host.started, host.output).toBe(true);
      expect((await keyEndingIn(partial)).activationsUsed).toBe(1);
      expect(service.output()).not.toContain(key);
    },
  );
});
