import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OnlineActivationRequest } from '@slm/activation-client';
import { type Catalog, type Channel, machineFingerprint } from '@slm/core';
import { createApp } from '../src/http/app.js';
import type { App, AppDeps } from '../src/http/env.js';
import { RateLimiter } from '../src/http/middleware/rate-limit.js';
import { openVendor } from '../src/service.js';
import { initVendor } from '../src/vendor/init.js';

/** A vendor in a temporary folder, its app driven in-process, and helpers to mint and activate. */
export interface Harness {
  readonly app: App;
  readonly deps: AppDeps;
  readonly token: string;
  readonly catalog: Catalog;
  readonly logs: string[];
  readonly sku: { desktop: string; server: string };
  mint(
    channel: Channel,
    count: number,
    activationLimit?: number,
    skuCode?: number,
  ): Promise<MintAnswer>;
  activate(request: OnlineActivationRequest, address?: string): Promise<Response>;
  admin(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface MintAnswer {
  batchId: string;
  keys: string[];
  activationLimit: number | null;
}

export interface Machine {
  readonly fingerprint: string;
  readonly components: string[];
  readonly clientMachineId: string;
}

/** A JSON answer, shape checked by the test's assertions. */
// biome-ignore lint/suspicious/noExplicitAny: answers are checked by assertions, not types
export type Answer = Record<string, any>;

/** The JSON body of an answer. */
export async function read(res: Response): Promise<Answer> {
  return (await res.json()) as Answer;
}

/** A machine with its own identity, as slmgr would describe it. */
export function newMachine(name = randomUUID()): Machine {
  const binding = machineFingerprint({ machineId: name, hostname: `host-${name}` }, 'test-salt');
  return {
    fingerprint: binding.fingerprint,
    components: [...binding.components],
    clientMachineId: randomUUID(),
  };
}

/** The online request of a key on a machine for a SKU. */
export function onlineRequest(key: string, activationId: string, machine: Machine) {
  return {
    key,
    activationId,
    fingerprint: machine.fingerprint,
    installation: { clientMachineId: machine.clientMachineId },
  };
}

const OPEN_LIMITS = { burst: 100_000, perMinute: 6_000_000 };

/** Creates a vendor, publishes its example catalog; rate limits are open unless given. */
export async function createHarness(
  limits: { perAddress?: RateLimiter; perKey?: RateLimiter } = {},
  now: () => number = Date.now,
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'slm-api-test-'));
  const { adminToken } = await initVendor(dir, { name: 'Test Vendor', host: '127.0.0.1', port: 0 });
  const logs: string[] = [];
  const opened = await openVendor(dir, (line) => logs.push(line));
  const deps: AppDeps = {
    ...opened.deps,
    now,
    limits: {
      perAddress: limits.perAddress ?? new RateLimiter(OPEN_LIMITS),
      perKey: limits.perKey ?? new RateLimiter(OPEN_LIMITS),
    },
  };
  const app = createApp(deps);
  const admin = async (path: string, init: RequestInit = {}) =>
    await app.request(path, {
      ...init,
      headers: {
        authorization: `Bearer ${adminToken}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  const catalogText = await readFile(join(dir, 'catalog.json'), 'utf8');
  const published = await admin('/v1/admin/catalog', { method: 'PUT', body: catalogText });
  if (published.status !== 200) throw new Error(`publish failed: ${await published.text()}`);
  const catalog = deps.catalogs.current?.catalog as Catalog;
  const skus = catalog.products[0]?.skus ?? [];

  return {
    app,
    deps,
    token: adminToken,
    catalog,
    logs,
    sku: { desktop: skus[0]?.activationId ?? '', server: skus[1]?.activationId ?? '' },
    async mint(channel, count, activationLimit, skuCode = 101) {
      const body = JSON.stringify({ skuCode, channel, count, activationLimit });
      const res = await admin('/v1/admin/keys', { method: 'POST', body });
      if (res.status !== 201) throw new Error(`mint failed: ${await res.text()}`);
      return (await res.json()) as MintAnswer;
    },
    async activate(request, address) {
      const env =
        address === undefined ? undefined : { incoming: { socket: { remoteAddress: address } } };
      return await app.request(
        '/v1/activations/online',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request),
        },
        env,
      );
    },
    admin,
    async close() {
      await deps.signer.close();
      await deps.vdb.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
