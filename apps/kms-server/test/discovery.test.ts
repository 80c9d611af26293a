import { createServer, type Server } from 'node:net';
import { createLabVendor, LAB_SKUS } from '@slm/conformance';
import { openVolumeGrant } from '@slm/core';
import {
  activateVolume,
  createResolver,
  discoverHosts,
  seededRandom,
  type VolumeActivationInput,
} from '@slm/volume-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bind, startBind } from './bind.js';
import { clientInput, DAY, startTestHost, type TestHost } from './harness.js';

const hosts: Record<string, TestHost> = {};
let silent: Server;
let bind: Bind;

/** Brings a server-SKU family to 4 machines, so the next distinct one is activated. */
function nearThreshold(test: TestHost): void {
  const family = [...test.host.context.identity.skus.values()][0]?.family ?? '';
  test.store.seed(family, ['s1', 's2', 's3', 's4'], test.clock.now);
  test.store.record(
    {
      family,
      clientMachineId: 's1',
      workstation: '',
      at: test.clock.now,
      askedThreshold: 5,
      skuThreshold: 5,
    },
    () => [],
  );
}

beforeAll(async () => {
  const vendor = createLabVendor();
  hosts.a = await startTestHost({ vendor });
  hosts.b = await startTestHost({ vendor });
  hosts.rogue = await startTestHost();
  hosts.volumeOnly = await startTestHost({ vendor, activationIds: [LAB_SKUS.volume.activationId] });
  hosts.maintenance = await startTestHost({ vendor, maintenance: true });
  hosts.fresh = await startTestHost({ vendor });
  nearThreshold(hosts.a);
  nearThreshold(hosts.b);
  silent = createServer(() => {}).listen(0, '127.0.0.1');
  await new Promise((resolve) => silent.once('listening', resolve));
  const silentPort = (silent.address() as { port: number }).port;
  const port = (name: string) => hosts[name]?.port;
  bind = await startBind({
    records: [
      'kms IN A 127.0.0.1',
      '_vlmcs._tcp IN SRV 0 0 1 kms.lab.test.',
      `_vlmcs._tcp IN SRV 10 0 ${port('a')} kms.lab.test.`,
      `_vlmcs._tcp IN SRV 20 0 ${port('b')} kms.lab.test.`,
      `_vlmcs._tcp.causes IN SRV 0 0 1 kms.lab.test.`,
      `_vlmcs._tcp.causes IN SRV 1 0 ${port('a')} ghost.lab.test.`,
      `_vlmcs._tcp.causes IN SRV 2 0 ${silentPort} kms.lab.test.`,
      `_vlmcs._tcp.causes IN SRV 3 0 ${port('rogue')} kms.lab.test.`,
      `_vlmcs._tcp.causes IN SRV 4 0 ${port('volumeOnly')} kms.lab.test.`,
      `_vlmcs._tcp.causes IN SRV 5 0 ${port('maintenance')} kms.lab.test.`,
      `_vlmcs._tcp.causes IN SRV 6 0 ${port('fresh')} kms.lab.test.`,
      '_vlmcs._tcp.weights IN SRV 0 60 1001 w60.lab.test.',
      '_vlmcs._tcp.weights IN SRV 0 30 1002 w30.lab.test.',
      '_vlmcs._tcp.weights IN SRV 0 10 1003 w10.lab.test.',
      '_vlmcs._tcp.weights IN SRV 1 100 1004 backup.lab.test.',
    ],
  });
}, 60_000);

afterAll(async () => {
  await bind?.stop();
  silent?.close();
  await Promise.all(Object.values(hosts).map((host) => host.close()));
});

function viaDns(extra: Partial<VolumeActivationInput> = {}): VolumeActivationInput {
  const a = hosts.a as TestHost;
  return clientInput(a, {
    sku: 'server',
    settings: { machine: { host: null, port: null, domain: 'lab.test' } },
    dns: { servers: [bind.server] },
    timeoutMs: 1_000,
    ...extra,
  });
}

describe('finding a volume host and activating', () => {
  it('when SRV records exist then the lowest priority that answers activates, after dropping a dead one', async () => {
    const result = await activateVolume(viaDns());
    expect(result.ok && result.host).toEqual({ host: 'kms.lab.test', port: hosts.a?.port });
    expect(result.attempts).toEqual([
      expect.objectContaining({ host: 'kms.lab.test:1', cause: 'refused' }),
    ]);
    if (!result.ok) return;
    expect(result.validUntil).toBe(hosts.a!.clock.now + 180 * DAY);
    expect(result.intervals).toEqual({ activationMinutes: 120, renewalMinutes: 10_080 });
    const opened = openVolumeGrant(
      result.storedGrant.document,
      result.storedGrant.hostCertificate,
      hosts.a!.vendor.keys.publicKey,
    );
    expect(opened.ok).toBe(true);
  });

  it('when no domain is set then the search list is tried in order until one has records', async () => {
    const result = await activateVolume(
      viaDns({
        settings: { machine: { host: null, port: null, domain: null } },
        dns: { servers: [bind.server], searchList: ['empty.test', 'lab.test'] },
      }),
    );
    expect(result.ok).toBe(true);
    expect(result.attempts[0]).toMatchObject({ host: '_vlmcs._tcp.empty.test', cause: 'dns' });
  });

  it('when every host fails then each one is reported with its own cause', async () => {
    const result = await activateVolume(
      viaDns({
        settings: { machine: { host: null, port: null, domain: 'causes.lab.test' } },
        timeoutMs: 500,
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.attempts.map((attempt) => attempt.cause)).toEqual([
      'refused',
      'dns',
      'timeout',
      'host_not_activated',
      'product_not_served',
      'maintenance',
      'below_threshold',
    ]);
    expect(result.attempts.at(-1)).toMatchObject({ count: 1, threshold: 5 });
  });

  it('when the client clock is 5 hours off then the cause is clock skew', async () => {
    const result = await activateVolume(viaDns({ now: hosts.a!.clock.now + 5 * 3_600_000 }));
    expect(result.attempts.at(-1)?.cause).toBe('clock_skew');
  });

  it('when host caching is on then the cached host is asked first, and with it off discovery decides', async () => {
    const cachedHost = { host: '127.0.0.1', port: hosts.b!.port };
    const cached = await activateVolume(viaDns({ hostCaching: true, cachedHost }));
    expect(cached.ok && cached.host).toEqual(cachedHost);
    expect(cached.attempts).toEqual([]);
    expect(cached.cachedHost).toEqual(cachedHost);
    const uncached = await activateVolume(viaDns({ hostCaching: false, cachedHost }));
    expect(uncached.ok && uncached.host.port).toBe(hosts.a!.port);
    expect(uncached.cachedHost).toBeNull();
  });

  it('when the cached host fails then discovery runs and the new host is cached', async () => {
    const dead = { host: '127.0.0.1', port: 1 };
    const result = await activateVolume(viaDns({ hostCaching: true, cachedHost: dead }));
    expect(result.attempts[0]).toMatchObject({ host: '127.0.0.1:1', cause: 'refused' });
    expect(result.ok && result.cachedHost).toEqual({ host: 'kms.lab.test', port: hosts.a!.port });
  });

  it('when a host is pinned per product then it wins over the machine-wide one and DNS', async () => {
    const result = await activateVolume(
      viaDns({
        settings: {
          machine: { host: '127.0.0.1', port: hosts.a!.port, domain: 'lab.test' },
          product: { host: '127.0.0.1', port: hosts.b!.port, domain: null },
        },
      }),
    );
    expect(result.ok && result.host.port).toBe(hosts.b!.port);
  });

  it('when a pinned name does not resolve then the cause says so', async () => {
    const result = await activateVolume(
      viaDns({ settings: { machine: { host: 'nowhere.lab.test', port: 1688, domain: null } } }),
    );
    expect(result.attempts).toEqual([
      expect.objectContaining({
        cause: 'dns',
        detail: 'the name nowhere.lab.test did not resolve',
      }),
    ]);
  });

  it('when discovery runs many times then hosts are picked by priority, then in proportion to weight', async () => {
    const resolver = createResolver({ servers: [bind.server] });
    const random = seededRandom(7);
    const firsts: Record<string, number> = {};
    const lasts = new Set<string>();
    const settings = { machine: { host: null, port: null, domain: 'weights.lab.test' } };
    for (let i = 0; i < 1_000; i++) {
      const found = await discoverHosts(settings, {}, resolver, random);
      const first = found.hosts[0]?.host ?? '';
      firsts[first] = (firsts[first] ?? 0) + 1;
      lasts.add(found.hosts.at(-1)?.host ?? '');
    }
    expect([...lasts]).toEqual(['backup.lab.test']);
    expect(firsts['w60.lab.test']).toBeGreaterThan(540);
    expect(firsts['w60.lab.test']).toBeLessThan(660);
    expect(firsts['w30.lab.test']).toBeGreaterThan(250);
    expect(firsts['w30.lab.test']).toBeLessThan(350);
    expect(firsts['w10.lab.test']).toBeGreaterThan(65);
    expect(firsts['w10.lab.test']).toBeLessThan(135);
  });
});
