// A volume host in-process on loopback, with a lab vendor, an injected clock and captured logs.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabVendor, LAB_SKUS, type LabVendor } from '@slm/conformance';
import {
  DEFAULT_MACHINE_SETTINGS,
  generateSigningKey,
  issueHostCertificate,
  unwrap,
} from '@slm/core';
import type { KmsRequest } from '@slm/kms-protocol';
import {
  askHost,
  type Failure,
  type Verified,
  type VolumeActivationInput,
} from '@slm/volume-client';
import { CountingStore } from '../src/counting/store.js';
import { checkIdentity, type IdentityFile } from '../src/identity.js';
import { jsonLogger } from '../src/log.js';
import { type HostLimits, type RunningHost, startHost } from '../src/server/server.js';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 2, 1);

/** A vendor and a host identity it certified for the volume and server SKUs. */
export function makeIdentityFile(
  vendor: LabVendor = createLabVendor(),
  activationIds = [LAB_SKUS.volume.activationId, LAB_SKUS.server.activationId],
): { vendor: LabVendor; file: IdentityFile } {
  const host = generateSigningKey();
  const hostCertificate = issueHostCertificate(
    {
      hostId: 'lab-host-1',
      hostPublicKey: host.publicKey,
      activationIds,
      hostKeyPartial: 'HST01',
      issuedAt: T0 - DAY,
      expiresAt: null,
    },
    vendor.keys.privateKeyPem,
  );
  const file = {
    hostPrivateKeyPem: host.privateKeyPem,
    hostCertificate,
    vendorPublicKey: vendor.keys.publicKey,
    catalog: vendor.signedCatalog,
  };
  return { vendor, file };
}

/** A running test host and what a test needs around it. */
export interface TestHost {
  readonly host: RunningHost;
  readonly port: number;
  readonly vendor: LabVendor;
  readonly store: CountingStore;
  readonly dir: string;
  readonly logs: string[];
  /** The host's clock; tests move it. */
  readonly clock: { now: number };
  close(): Promise<void>;
}

/** Starts a host on 127.0.0.1 at port 0 with its own store in a temp folder. */
export async function startTestHost(
  options: {
    limits?: Partial<HostLimits>;
    maintenance?: boolean;
    activationIds?: string[];
    dir?: string;
    vendor?: LabVendor;
  } = {},
): Promise<TestHost> {
  const { vendor, file } = makeIdentityFile(
    options.vendor ?? createLabVendor(),
    options.activationIds,
  );
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'slm-kms-'));
  const store = new CountingStore(join(dir, 'counts.db'));
  const clock = { now: T0 };
  const logs: string[] = [];
  const host = await startHost({
    identity: unwrap(checkIdentity(file, T0)),
    store,
    settings: DEFAULT_MACHINE_SETTINGS.host,
    maintenance: options.maintenance ?? false,
    addresses: ['127.0.0.1'],
    port: 0,
    clock: () => clock.now,
    log: jsonLogger(
      (line) => logs.push(line),
      () => clock.now,
    ),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  const close = async () => {
    await host.close();
    await store.close();
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  };
  return { host, port: host.port, vendor, store, dir, logs, clock, close };
}

/** A client machine's request input aimed at the test host. */
export function clientInput(
  test: TestHost,
  overrides: Partial<VolumeActivationInput> & { sku?: 'volume' | 'server' } = {},
): VolumeActivationInput {
  const sku = overrides.sku ?? 'volume';
  return {
    activationId: LAB_SKUS[sku].activationId,
    clientMachineId: randomBytes(16).toString('hex'),
    workstation: randomBytes(16).toString('hex'),
    licenceState: 2,
    threshold: sku === 'server' ? 5 : 25,
    vendorKey: test.vendor.keys.publicKey,
    now: test.clock.now,
    settings: { machine: { host: '127.0.0.1', port: test.port, domain: null } },
    hostCaching: false,
    cachedHost: null,
    timeoutMs: 3_000,
    ...overrides,
  };
}

/** Asks the test host once, as a client would, and verifies the answer. */
export function ask(
  test: TestHost,
  overrides: Partial<VolumeActivationInput> & { sku?: 'volume' | 'server' } = {},
): Promise<Verified | Failure> {
  return askHost({ host: '127.0.0.1', port: test.port }, clientInput(test, overrides));
}

/** The JSON lines logged with this message. */
export function logged(test: TestHost, msg: string): Record<string, unknown>[] {
  return test.logs.map((line) => JSON.parse(line)).filter((entry) => entry.msg === msg);
}

export type { KmsRequest };
