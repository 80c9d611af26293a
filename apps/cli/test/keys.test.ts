import { describe, expect, it } from 'vitest';
import { KEYS, makeHome, SKU } from './fixtures.js';
import { expectError, slmgr, slmgrBinary, slmgrJson } from './harness.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 10);

describe('installing and removing product keys', () => {
  it('when /ipk - is given the key on standard input then it installs it, and no argument holds it', async () => {
    const home = makeHome();
    const call = await slmgrBinary(home, ['/ipk', '-'], {}, `\n  ${KEYS.retail}\n`);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain(`Installed the product key ending in ${KEYS.retail.slice(-5)}`);
    const empty = await slmgrBinary(makeHome(), ['/ipk', '-'], {}, '');
    expectError(empty, 3, 'key.empty');
  });

  it('when a key is installed then only its last five characters are shown', async () => {
    const home = makeHome();
    const call = await slmgr(home, ['/ipk', KEYS.retail.toLowerCase()]);
    const partial = KEYS.retail.slice(-5);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain(`Installed the product key ending in ${partial}`);
    expect(call.stdout).not.toContain(KEYS.retail.slice(0, 11));
  });

  it('when another key of the product is installed then it names the key it replaced', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail]);
    const { doc } = await slmgrJson(home, ['/ipk', KEYS.retail2]);
    expect(doc.result.replacedPartialProductKey).toBe(KEYS.retail.slice(-5));
  });

  it('when the key is malformed then a precise key code and exit 3', async () => {
    expectError(await slmgr(makeHome(), ['/ipk', 'BCDFGHJKMP']), 3, 'key.length');
  });

  it('when the key belongs to no installed product then key.wrong_product, exit 5', async () => {
    expectError(await slmgr(makeHome(), ['/ipk', KEYS.foreign]), 5, 'key.wrong_product');
  });

  it('when /upk runs then the product returns to Unlicensed', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail]);
    expect((await slmgr(home, ['/upk'])).stdout).toContain('it is now Unlicensed');
    expect((await slmgr(home, ['/dli', SKU.retail])).stdout).toContain(
      'License Status: Unlicensed',
    );
    expectError(await slmgr(home, ['/upk', SKU.retail]), 4, 'key.not_installed');
  });

  it('when /cpky runs then the key copy is gone and a second run says nothing changed', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail]);
    expect((await slmgr(home, ['/cpky'])).stdout).toContain(
      'Removed the stored copy of 1 product key',
    );
    expect((await slmgr(home, ['/cpky'])).stdout).toContain('Nothing changed');
    expect((await slmgr(home, ['/dli'])).stdout).toContain(
      `Partial Product Key: ${KEYS.retail.slice(-5)}`,
    );
  });
});

describe('displaying licence information', () => {
  it('when a key was installed then /dli shows the fields an slmgr user expects', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail], T0);
    const out = (await slmgr(home, ['/dli'], T0 + DAY)).stdout;
    for (const line of [
      'Name: Example Desktop, Professional edition',
      'Description: Example Professional, RETAIL channel',
      `Activation ID: ${SKU.retail}`,
      `Partial Product Key: ${KEYS.retail.slice(-5)}`,
      'License Status: Initial grace period',
      'Time remaining: 41760 minute(s) (29 day(s))',
      'Remaining rearm count: 3',
      'Client Machine ID (CMID): ',
      'Trusted time: 2025-01-11T00:00:00.000Z',
    ]) {
      expect(out).toContain(line);
    }
  });

  it('when --json is given then /dli follows the documented schema', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail], T0);
    const { doc } = await slmgrJson(home, ['/dli'], T0);
    expect(doc).toMatchObject({ ok: true, option: 'dli' });
    expect(doc.result.products[0]).toEqual({
      activationId: SKU.retail,
      name: 'Example Desktop, Professional edition',
      description: 'Example Professional',
      channel: 'retail',
      partialProductKey: KEYS.retail.slice(-5),
      licenceStatus: {
        state: 'initial_grace',
        code: 2,
        label: 'Initial grace period',
        reason: 'trial',
        endsAt: '2025-02-09T00:00:00.000Z',
        timeRemaining: { minutes: 43200, days: 30 },
      },
      remainingRearmCount: 3,
      clientMachineId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      trustedTime: '2025-01-10T00:00:00.000Z',
      clockMovedBack: false,
      volumeClient: null,
      volumeHost: null,
    });
  });

  it('when /dli all runs then every installed product is listed', async () => {
    const home = makeHome();
    await slmgr(home, ['/rilc']);
    const { doc } = await slmgrJson(home, ['/dli', 'all']);
    expect(doc.result.products.map((p: { activationId: string }) => p.activationId)).toEqual([
      SKU.retail,
      SKU.volume,
      SKU.host,
      SKU.noRearm,
    ]);
  });

  it('when no key is installed then /dli says how to install one, exit 4', async () => {
    const home = makeHome();
    await slmgr(home, ['/rilc']);
    expectError(await slmgr(home, ['/dli']), 4, 'key.not_installed', 'slmgr /ipk');
  });

  it('when /dlv runs then it adds the application ID, Installation ID and service URL', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail]);
    const out = (await slmgr(home, ['/dlv'])).stdout;
    expect(out).toContain('Application ID: a0000000-0000-4000-8000-000000000001');
    expect(out).toMatch(/Installation ID: \d{6}(-\d{6}){8}/);
    expect(out).toContain('Activation service URL: https://activation.example/');
  });

  it('when /dti runs then it prints the same Installation ID as /dlv', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail]);
    const dti = await slmgrJson(home, ['/dti']);
    const dlv = await slmgrJson(home, ['/dlv']);
    expect(dti.doc.result.installationId).toBe(dlv.doc.result.products[0].installationId);
  });

  it('when /xpr runs in the trial then it says when the grace ends', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail], T0);
    const call = await slmgr(home, ['/xpr'], T0);
    expect(call.stdout).toContain(
      'Initial grace period ends 2025-02-09T00:00:00.000Z (43200 minute(s), 30 day(s) left).',
    );
  });
});

describe('rearm', () => {
  it('when rearmed then the grace restarts, one rearm is used and the CMID changes', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail], T0);
    const before = (await slmgrJson(home, ['/dli'], T0)).doc.result.products[0];
    const call = await slmgr(home, ['/rearm'], T0 + 10 * DAY);
    expect(call.stdout).toContain('2 rearm(s) left');
    const after = (await slmgrJson(home, ['/dli'], T0 + 10 * DAY)).doc.result.products[0];
    expect(after.licenceStatus.timeRemaining).toEqual({ minutes: 43200, days: 30 });
    expect(after.clientMachineId).not.toBe(before.clientMachineId);
  });

  it('when every rearm is used then rearm.limit_reached and nothing changes', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail]);
    for (let i = 0; i < 3; i += 1) expect((await slmgr(home, ['/rearm'])).status).toBe(0);
    expectError(await slmgr(home, ['/rearm']), 5, 'rearm.limit_reached', 'nothing was changed');
  });

  it('when rearm is switched off then it says so instead of claiming success', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.noRearm]);
    expectError(await slmgr(home, ['/rearm']), 5, 'rearm.disabled');
  });
});
