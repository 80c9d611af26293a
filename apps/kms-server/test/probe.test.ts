import { LAB_SKUS } from '@slm/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostProcess, makeHome, runBinary, startBinary } from './binary.js';

let host: HostProcess;
let vendorKey: string;
beforeAll(async () => {
  const made = makeHome();
  vendorKey = made.vendor.keys.publicKey;
  host = await startBinary(made.home);
});
afterAll(async () => host?.stop());

function probe(...args: string[]) {
  const target = `127.0.0.1:${host.port}`;
  const base = [
    'probe',
    target,
    '--vendor-key',
    vendorKey,
    '--product',
    LAB_SKUS.volume.activationId,
  ];
  const result = runBinary([...base, '--json', ...args]);
  return {
    status: result.status,
    report: JSON.parse(result.stdout || '{}'),
    stderr: result.stderr,
  };
}

describe('slm-kms probe', () => {
  it('when 30 distinct clients are probed then the count reaches the threshold and every answer verifies', () => {
    const { status, report } = probe('-n', '30', '-c', '5');
    expect(status).toBe(0);
    expect(report).toMatchObject({ requests: 30, unverified: 0, ok: true, highestCount: 30 });
    expect(report.outcomes).toEqual({ below_threshold: 24, activated: 6 });
    expect(report.latencyMs.p99).toBeGreaterThan(0);
  });

  it('when clones are probed then the host reports each duplicate and counts them once', () => {
    const { report } = probe('--kind', 'duplicate', '-n', '5', '--client-id', 'clone-1');
    expect(report.duplicatesReported).toBe(4);
    expect(report.unverified).toBe(0);
  });

  it('when the probe clock is 5 hours ahead then every request is refused for clock skew', () => {
    const { report } = probe('--kind', 'clock-skew', '-n', '3');
    expect(report.outcomes).toEqual({ clock_skew: 3 });
  });

  it('when a product the host does not serve is asked for then it says it cannot activate it', () => {
    const { report } = probe('--kind', 'wrong-product', '-n', '2');
    expect(report.outcomes).toEqual({ product_not_served: 2 });
  });

  it('when the vendor key is another one then the answers fail verification and the probe fails', () => {
    const other = 'A'.repeat(43);
    const result = runBinary([
      'probe',
      `127.0.0.1:${host.port}`,
      '--vendor-key',
      other,
      '--product',
      LAB_SKUS.volume.activationId,
    ]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/host_not_activated 1[\s\S]*result: FAILED/);
  });

  it.each([
    ['the host name does not resolve', 'no-such-host.invalid', 'dns'],
    ['nothing listens at the target', '127.0.0.1:1', 'connection_refused'],
  ])('when %s then the probe fails and names the cause', (_what, target, cause) => {
    const product = LAB_SKUS.volume.activationId;
    const args = ['probe', target, '--vendor-key', vendorKey, '--product', product, '--json'];
    const result = runBinary(args);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, outcomes: { [cause]: 1 } });
  });

  it('when 100,000 garbage frames are sent then each gets an error and the host still answers', () => {
    const { status, report } = probe(
      '--kind',
      'malformed',
      '-n',
      '100000',
      '-c',
      '64',
      '--seed',
      '7',
    );
    expect(report.outcomes.timeout ?? 0).toBe(0);
    expect(report.outcomes['error-and-close']).toBeGreaterThan(90_000);
    expect(report).toMatchObject({ stillAnswering: true, ok: true });
    expect(status).toBe(0);
  }, 240_000);
});
