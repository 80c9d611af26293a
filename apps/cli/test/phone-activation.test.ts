import { issueConfirmationId, parseInstallationId } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { KEYS, makeHome, VENDOR } from './fixtures.js';
import { expectError, slmgrBinary } from './harness.js';

/** Installs `key` and activates it by phone, with a Confirmation ID from the test vendor. */
async function phoneActivated(key: string): Promise<string> {
  const home = makeHome();
  expect((await slmgrBinary(home, ['/ipk', key])).status).toBe(0);
  const dti = JSON.parse((await slmgrBinary(home, ['/dti', '--json'])).stdout);
  const content = parseInstallationId(dti.result.installationId);
  if (!content.ok) throw content.error;
  const cid = issueConfirmationId(content.value, VENDOR.privateKeyPem).compact;
  expect((await slmgrBinary(home, ['/atp', cid])).status).toBe(0);
  return home;
}

describe('a product activated by phone', () => {
  it('when /dlv runs then the extended product ID is derived from the Installation ID, never empty', async () => {
    const home = await phoneActivated(KEYS.mak);
    const dlv = JSON.parse((await slmgrBinary(home, ['/dlv', '--json'])).stdout);
    expect(dlv.result.products[0].extendedProductId).toMatch(/^00101-MAK-0000000007-\d{8}$/);
    const text = (await slmgrBinary(home, ['/dlv'])).stdout;
    expect(text).toMatch(
      /Extended PID: 00101-MAK-\d{10}-\d{8} \(derived from the Installation ID\)/,
    );
  });

  it('when /ato runs on a MAK already activated then it says nothing was sent and nothing changed', async () => {
    const home = await phoneActivated(KEYS.mak);
    const call = await slmgrBinary(home, ['/ato']);
    expectError(call, 5, 'activation.not_needed', 'nothing was sent to the activation service');
    expect(call.stderr).not.toContain('would use up');
  });
});
