import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYS, makeHome } from './fixtures.js';
import { expectError, slmgrBinary } from './harness.js';

describe('a change that fails on a machine without a store leaves no store behind', () => {
  it.each([
    [['/ipk', KEYS.foreign], 'key.wrong_product', 'does not belong to any installed product'],
    [['/sai', '60'], 'setting.not_volume_host', 'no volume host key installed'],
    [['/rearm'], 'rearm.nothing_installed', 'no product key installed'],
  ])(
    'when %j fails then the home holds only its licence folder and /dli says there is no store',
    async (argv, code, message) => {
      const home = makeHome();
      expectError(await slmgrBinary(home, argv), 5, code, message);
      expect(readdirSync(home)).toEqual(['licences']);
      expectError(await slmgrBinary(home, ['/dli']), 8, 'store.not_initialised');
    },
  );

  it('when the home does not exist and /ipk fails then the home is not created', async () => {
    const home = join(makeHome(), 'new');
    expectError(await slmgrBinary(home, ['/ipk', KEYS.retail]), 5, 'key.wrong_product');
    expect(existsSync(home)).toBe(false);
  });

  it('when /ipk succeeds on a fresh machine then it creates the store and leaves no staging folder', async () => {
    const home = makeHome();
    const call = await slmgrBinary(home, ['/ipk', KEYS.retail]);
    expect(call.status).toBe(0);
    expect(readdirSync(home).sort()).toEqual(['licences', 'private', 'state.json', 'store.db']);
    const dli = await slmgrBinary(home, ['/dli']);
    expect(dli.stdout).toContain(`Partial Product Key: ${KEYS.retail.slice(-5)}`);
  });
});
