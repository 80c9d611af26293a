import { describe, expect, it } from 'vitest';
import { KEYS, makeHome } from './fixtures.js';
import { slmgrBinary } from './harness.js';

describe('when a volume host setting takes effect', () => {
  it.each([
    [['/sai', '60']],
    [['/sri', '20160']],
    [['/cdns']],
    [['/sdns']],
    [['/cpri']],
    [['/spri']],
  ])(
    'when %j changes a setting then it says the host applies it at its next reload or restart',
    async (argv) => {
      const home = makeHome();
      await slmgrBinary(home, ['/ipk', KEYS.host]);
      if (argv[0] === '/sdns') await slmgrBinary(home, ['/cdns']);
      if (argv[0] === '/spri') await slmgrBinary(home, ['/cpri']);
      const call = await slmgrBinary(home, argv);
      expect(call.stdout).toContain(
        'The volume host uses the new setting at its next reload (SIGHUP) or restart.',
      );
    },
  );

  it('when /sprt changes the port then it says only a restart moves the host', async () => {
    const home = makeHome();
    await slmgrBinary(home, ['/ipk', KEYS.host]);
    const call = await slmgrBinary(home, ['/sprt', '1700']);
    expect(call.stdout).toContain(
      'The volume host listens on the new port when it restarts (a reload does not move it).',
    );
  });
});
