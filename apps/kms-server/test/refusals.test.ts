import { LAB_SKUS } from '@slm/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, logged, startTestHost, type TestHost } from './harness.js';

const HOUR = 3_600_000;
let test: TestHost;
afterEach(async () => test?.close());

describe('refusals a client sees with their reason', () => {
  it('when the client clock is more than 4 hours off then it is refused for clock skew', async () => {
    test = await startTestHost();
    const ahead = await ask(test, { now: test.clock.now + 4 * HOUR + 60_000 });
    const behind = await ask(test, { now: test.clock.now - 4 * HOUR - 60_000 });
    const within = await ask(test, { now: test.clock.now - 4 * HOUR + 60_000 });
    expect([ahead, behind, within].map((r) => (r.ok ? 'ok' : r.cause))).toEqual([
      'clock_skew',
      'clock_skew',
      'below_threshold',
    ]);
    expect(logged(test, 'request')[0]).toMatchObject({ outcome: 'refused', reason: 'clock_skew' });
  });

  it('when the host is in maintenance then every request is refused with that reason', async () => {
    test = await startTestHost({ maintenance: true });
    const result = await ask(test);
    expect(result.ok ? 'ok' : [result.cause, result.detail]).toEqual([
      'maintenance',
      'the host is in maintenance and activates nobody',
    ]);
    expect(test.store.counters()).toMatchObject({ 'refused.maintenance': 1, requests: 1 });
  });

  it('when the host is not certified for the product then it cannot activate it', async () => {
    test = await startTestHost({ activationIds: [LAB_SKUS.volume.activationId] });
    const result = await ask(test, { sku: 'server' });
    expect(result.ok ? 'ok' : result.cause).toBe('product_not_served');
  });

  it('when the host certificate comes from another vendor then the client says it is not activated', async () => {
    test = await startTestHost();
    const rogue = await startTestHost();
    const result = await ask(rogue, { vendorKey: test.vendor.keys.publicKey });
    expect(result.ok ? 'ok' : result.cause).toBe('host_not_activated');
    await rogue.close();
  });

  it('when a request is answered then the log line has a hashed client id and a duration', async () => {
    test = await startTestHost();
    await ask(test, { clientMachineId: 'machine-name-secret-01' });
    const [line] = logged(test, 'request');
    expect(line).toMatchObject({ outcome: 'below_threshold', reason: null, count: 1 });
    expect(line?.client).toMatch(/^[0-9a-f]{16}$/);
    expect(line?.durationMs).toBeTypeOf('number');
    expect(test.logs.join('')).not.toContain('machine-name-secret-01');
  });
});
