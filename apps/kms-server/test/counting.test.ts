import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CountingStore } from '../src/counting/store.js';
import { ask, DAY, logged, startTestHost, type TestHost } from './harness.js';

let test: TestHost;
afterEach(async () => test?.close());

async function askMany(n: number, sku: 'volume' | 'server' = 'volume', extra = {}) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await ask(test, { sku, ...extra }));
  return results;
}

describe('counting client machines', () => {
  it('when the 25th distinct machine asks then it is the first one activated', async () => {
    test = await startTestHost();
    const first = await askMany(24);
    expect(first.map((result) => (result.ok ? 'activated' : result.cause))).toEqual(
      Array(24).fill('below_threshold'),
    );
    expect(first.map((result) => (result.ok ? 0 : result.count))).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    const twentyFifth = await ask(test);
    expect(twentyFifth.ok && twentyFifth.response.count).toBe(25);
    expect(twentyFifth.ok && twentyFifth.grant.expiresAt).toBe(test.clock.now + 180 * DAY);
  });

  it('when 5 machines ask for a server SKU then the 5th is activated', async () => {
    test = await startTestHost();
    const results = await askMany(5, 'server');
    expect(results.map((result) => result.ok)).toEqual([false, false, false, false, true]);
  });

  it('when only server machines ask then the count stops at twice their threshold', async () => {
    test = await startTestHost();
    const results = await askMany(12, 'server');
    expect(results.at(-1)?.ok && results.at(-1)?.response).toMatchObject({ count: 10 });
  });

  it('when the machines of a family at its cap age out then the count falls again', async () => {
    test = await startTestHost();
    await askMany(12, 'server');
    test.clock.now += 20 * DAY;
    const stillFull = await ask(test, { sku: 'server', now: test.clock.now });
    expect(stillFull.ok && stillFull.response.count).toBe(10);
    test.clock.now += 10 * DAY + 1;
    const after = await ask(test, { sku: 'server', now: test.clock.now });
    expect(after.ok ? 'activated' : after.count).toBe(2);
  });

  it('when a client asks for an absurd threshold then the count kept does not change', async () => {
    test = await startTestHost();
    await askMany(12, 'server', { threshold: 1_000_000 });
    const after = await ask(test, { sku: 'server' });
    expect(after.ok && after.response.count).toBe(10);
    expect(logged(test, 'request').at(0)).toMatchObject({ thresholdIgnored: true });
  });

  it('when a client asks for a threshold of 1 then the host still waits for the catalog threshold', async () => {
    test = await startTestHost();
    const result = await ask(test, { threshold: 1 });
    expect(result.ok ? 'activated' : result.cause).toBe('below_threshold');
    expect(result.ok ? null : result.response?.outcome).toBe('below_threshold');
  });

  it('when clones share a client machine ID then they count once and the host reports the duplicate', async () => {
    test = await startTestHost();
    const id = 'cloned-machine-0001';
    const original = await ask(test, { clientMachineId: id, workstation: 'a'.repeat(32) });
    const clone = await ask(test, { clientMachineId: id, workstation: 'b'.repeat(32) });
    const again = await ask(test, { clientMachineId: id, workstation: 'b'.repeat(32) });
    expect([original, clone, again].map((r) => (r.ok ? null : r.count))).toEqual([1, 1, 1]);
    expect([original, clone, again].map((r) => (r.ok ? null : r.response?.duplicate))).toEqual([
      false,
      true,
      false,
    ]);
    expect(logged(test, 'request').map((line) => line.duplicate)).toEqual([false, true, false]);
    expect(test.store.counters().duplicates).toBe(1);
  });

  it('when 30 days pass without a request then those machines no longer count', async () => {
    test = await startTestHost();
    await askMany(25);
    test.clock.now += 29 * DAY;
    const stillCounted = await ask(test, { now: test.clock.now });
    expect(stillCounted.ok && stillCounted.response.count).toBe(26);
    test.clock.now += 1 * DAY + 1;
    const aged = await ask(test, { now: test.clock.now });
    expect(aged.ok ? 'activated' : [aged.cause, aged.count]).toEqual(['below_threshold', 2]);
    expect(test.store.prune(test.clock.now)).toBe(25);
  });

  it('when the host restarts then the count and counters survive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slm-kms-restart-'));
    test = await startTestHost({ dir });
    await askMany(3);
    const family = [...test.host.context.identity.skus.values()][0]?.family ?? '';
    await test.close();
    const reopened = new CountingStore(join(dir, 'counts.db'));
    expect(reopened.count(family, test.clock.now)).toBe(3);
    expect(reopened.counters()).toMatchObject({ requests: 3, 'outcome.below_threshold': 3 });
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when requests come from machines in different licence states then each state is counted', async () => {
    test = await startTestHost();
    await ask(test, { licenceState: 2 });
    await ask(test, { licenceState: 5 });
    await ask(test, { licenceState: 5 });
    expect(test.store.counters()).toMatchObject({ 'licence_state.2': 1, 'licence_state.5': 2 });
  });
});

describe('the counting store on disk', () => {
  const sighting = (family: string, clientMachineId: string, at: number) => ({
    family,
    clientMachineId,
    workstation: 'w'.repeat(32),
    at,
    askedThreshold: 25,
    skuThreshold: 25,
  });

  it('when sightings are recorded then what waits for them runs only after their commit, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slm-kms-commit-'));
    const store = new CountingStore(join(dir, 'counts.db'));
    const ran: string[] = [];
    store.afterCommit(() => ran.push('nothing open'));
    store.record(sighting('f', 'a', Date.now()), () => []);
    store.afterCommit((failure) => ran.push(`first ${failure}`));
    store.afterCommit(() => ran.push('second'));
    expect(ran).toEqual(['nothing open']);
    store.commit();
    expect(ran).toEqual(['nothing open', 'first null', 'second']);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when writes never stop then the background checkpoints still let the log start afresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slm-kms-wal-'));
    const path = join(dir, 'counts.db');
    const store = new CountingStore(path, { checkpointEveryMs: 10 });
    const now = Date.now();
    // Random IDs land all over the table, so each sighting dirties pages of its own: without a
    // restart, 40,000 of them leave a log of about 400 MB. The restart waits for the thread's
    // report, so a writer this fast (nothing signed) overshoots the 32 MiB mark a little.
    for (let i = 0; i < 40_000; i++) {
      store.record(sighting('f', randomUUID(), now), () => []);
      if (i % 20 === 19) {
        store.commit();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await store.close();
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBeLessThan(128 << 20);
    const reopened = new CountingStore(path);
    expect(reopened.count('f', now)).toBe(50);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
