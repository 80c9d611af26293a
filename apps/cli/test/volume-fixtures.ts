// A vendor with a server-class volume SKU (threshold 5) and a client one (threshold 25), a volume
// host home certified by it, and the real slm-kms from apps/kms-server started on loopback.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateSigningKey, issueHostCertificate, mintProductKey, signCatalog } from '@slm/core';
import { expect } from 'vitest';
import { machineFacts } from '../src/system.js';
import { type Call, runCaptured } from './harness.js';

const SLMGR = new URL('../bin/slmgr.js', import.meta.url).pathname;
const SLM_KMS = new URL('../../kms-server/bin/slm-kms.js', import.meta.url).pathname;
const SECRET = new Uint8Array(32).fill(7);

/** Activation IDs of the volume catalog. */
export const VOLUME_SKU = {
  server: 'd0000000-0000-4000-8000-000000000401',
  host: 'd0000000-0000-4000-8000-000000000402',
  client: 'd0000000-0000-4000-8000-000000000403',
} as const;

/**
 * Product keys: a server volume client key (threshold 5), a volume host key, and a volume client
 * key of a client edition (threshold 25, a product of its own so it is counted apart).
 */
export const VOLUME_KEYS = {
  server: mintProductKey(SECRET, { channel: 'volume_client', skuCode: 401, serial: 1 }),
  host: mintProductKey(SECRET, { channel: 'volume_host', skuCode: 402, serial: 2 }),
  client: mintProductKey(SECRET, { channel: 'volume_client', skuCode: 403, serial: 3 }),
};

const VENDOR = generateSigningKey();

/** The vendor's signed catalog: a product with server volume and host SKUs, a client product. */
export const VOLUME_CATALOG = signed();

function signed(): string {
  const sku = (id: string, skuCode: number, name: string, channel: string, serverClass = true) => ({
    activationId: id,
    skuCode,
    name,
    description: `Volume Example ${name}`,
    channels: [channel],
    serverClass,
  });
  const catalog = signCatalog(
    {
      version: 1,
      vendor: { name: 'Volume Vendor', publicKey: VENDOR.publicKey },
      serviceUrl: 'https://activation.example/',
      issuedAt: '2025-01-01T00:00:00Z',
      products: [
        {
          productId: 'd0000000-0000-4000-8000-000000000004',
          name: 'Volume Example Server',
          skus: [
            sku(VOLUME_SKU.server, 401, 'Standard', 'volume_client'),
            sku(VOLUME_SKU.host, 402, 'Host', 'volume_host'),
          ],
        },
        {
          productId: 'd0000000-0000-4000-8000-000000000005',
          name: 'Volume Example Client',
          skus: [sku(VOLUME_SKU.client, 403, 'Enterprise', 'volume_client', false)],
        },
      ],
    } as never,
    VENDOR.privateKeyPem,
  );
  if (!catalog.ok) throw catalog.error;
  return catalog.value;
}

/** What one slmgr call printed and returned. */
export type Run = Call;

/** A store home of its own whose licence folder holds the volume catalog. */
export function volumeHome(parent: string, name: string): string {
  const home = join(parent, name);
  mkdirSync(join(home, 'licences'), { recursive: true });
  writeFileSync(join(home, 'licences', 'catalog.slm'), VOLUME_CATALOG);
  return home;
}

/** A scratch folder removed by the returned function. */
export function scratch(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'slmgr-volume-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs slmgr through its program entry, as this machine (real clock and machine facts). */
export function local(
  home: string,
  argv: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  return runCaptured(argv, {
    env: { SLM_HOME: home, ...env },
    now: () => Date.now(),
    randomBytes: (size) => new Uint8Array(randomBytes(size)),
    machineFacts,
    readStdin: () => '',
  });
}

/** Runs the built slmgr binary as its own process (with `env` added to this one's). */
export async function slmgrProcess(
  home: string,
  argv: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SLMGR, ...argv], {
      env: { ...process.env, SLM_HOME: home, ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * Leaves the identity `slmgr /ato` would have saved after the vendor certified the host key for
 * these SKUs (by default only the server one).
 */
export function certifyHost(home: string, activationIds: string[] = [VOLUME_SKU.server]): void {
  const host = generateSigningKey();
  const hostCertificate = issueHostCertificate(
    {
      hostId: 'volume-host-1',
      hostPublicKey: host.publicKey,
      activationIds,
      hostKeyPartial: VOLUME_KEYS.host.slice(-5),
      issuedAt: Date.now() - 86_400_000,
      expiresAt: null,
    },
    VENDOR.privateKeyPem,
  );
  const identity = {
    hostPrivateKeyPem: host.privateKeyPem,
    hostCertificate,
    vendorPublicKey: VENDOR.publicKey,
    catalog: VOLUME_CATALOG,
  };
  mkdirSync(join(home, 'private'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'private', 'volume-host.json'), JSON.stringify(identity), {
    mode: 0o600,
  });
}

/** A running slm-kms process. */
export interface HostProcess {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL: no chance to record that it stopped) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts slm-kms on 127.0.0.1 at port 0 (with more `args`), waits for "host started". */
export function startVolumeHost(home: string, args: string[] = []): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [SLM_KMS, 'run', '--home', home, '--listen', '127.0.0.1', '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`slm-kms did not start: ${output}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`slm-kms exited with ${code}: ${output}`)));
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const started = /"msg":"host started".*?"port":(\d+)/.exec(output);
      if (started === null) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.off('data', read).resume();
      resolve({
        port: Number(started[1]),
        pid: child.pid ?? 0,
        stop: () => stopChild(child),
        kill: (signal) => stopChild(child, signal),
      });
    };
    child.stdout?.on('data', read);
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** A loopback port nobody listens on. */
export function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the host's status file shows at least this many requests. */
export async function statusShows(home: string, requests: number): Promise<void> {
  const path = join(home, 'volume-host', 'status.json');
  for (let tries = 0; tries < 50; tries++) {
    try {
      const status = JSON.parse(readFileSync(path, 'utf8'));
      if ((status.counters?.requests ?? 0) >= requests) return;
    } catch {
      // The host writes the file by renaming: it is either absent or complete.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} never showed ${requests} requests`);
}

/** Asserts that a command succeeded without a word on stderr. */
export function expectOk(call: Run): void {
  expect({ status: call.status, stderr: call.stderr }).toEqual({ status: 0, stderr: '' });
}

/**
 * A client machine: its own store, a volume client key, and how it finds hosts, e.g.
 * `['/skms', '127.0.0.1:1688']` or `['/skms-domain', 'corp.test']`.
 */
export async function volumeClient(
  parent: string,
  name: string,
  key: string,
  findHosts: readonly [string, string],
): Promise<string> {
  const home = volumeHome(parent, name);
  expectOk(await local(home, ['/ipk', key]));
  expectOk(await local(home, [...findHosts]));
  return home;
}
