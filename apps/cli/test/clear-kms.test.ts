import { describe, expect, it } from 'vitest';
import { KEYS, makeHome, SKU } from './fixtures.js';
import { slmgrBinary } from './harness.js';

async function volumeClient(home: string) {
  const dlv = await slmgrBinary(home, ['/dlv', '--json']);
  return JSON.parse(dlv.stdout).result.products[0].volumeClient;
}

describe('/ckms clears the pinned volume host and port', () => {
  it('when /ckms clears a pinned host then it says the port is the default and DNS finds hosts again', async () => {
    const home = makeHome();
    await slmgrBinary(home, ['/ipk', KEYS.volume]);
    await slmgrBinary(home, ['/skms', 'kms.test:1700']);
    const call = await slmgrBinary(home, ['/ckms']);
    expect(call.stdout).toBe(
      [
        'Changed volume host name from kms.test to not set.',
        'Changed volume host port from 1700 to the default (1688).',
        'Volume hosts are found through DNS again.',
        '',
      ].join('\n'),
    );
    expect(await volumeClient(home)).toMatchObject({ host: null, port: 1688 });
  });

  it('when /skms-domain follows /ckms then it does not warn about a pinned host', async () => {
    const home = makeHome();
    await slmgrBinary(home, ['/ipk', KEYS.volume]);
    await slmgrBinary(home, ['/skms', ':1688']);
    await slmgrBinary(home, ['/ckms']);
    const call = await slmgrBinary(home, ['/skms-domain', 'x.test']);
    expect(call.stdout).toBe('Changed volume host DNS domain from not set to x.test.\n');
    expect(await volumeClient(home)).toMatchObject({ host: null, domain: 'x.test' });
  });

  it('when a host is pinned then /skms-domain names it as the reason the domain is ignored', async () => {
    const home = makeHome();
    await slmgrBinary(home, ['/ipk', KEYS.volume]);
    await slmgrBinary(home, ['/skms', 'kms.test']);
    const call = await slmgrBinary(home, ['/skms-domain', 'x.test']);
    expect(call.stdout).toContain('ignored while the volume host kms.test:1688 is pinned');
  });

  it('when /skms sets only a port then it does not say a host is pinned', async () => {
    const home = makeHome();
    await slmgrBinary(home, ['/ipk', KEYS.volume]);
    const call = await slmgrBinary(home, ['/skms', ':1700']);
    expect(call.stdout).toContain('No volume host is pinned, so hosts are still found through DNS');
    expect(call.stdout).not.toContain('DNS discovery is off');
  });

  it.each([
    ['127.0.0.1', '127.0.0.1:1688'],
    ['127.0.0.1:1700', '127.0.0.1:1700'],
    ['[::1]:1700', '[::1]:1700'],
  ])(
    'when /ckms ActID leaves the machine pin %s then it names the host with its port',
    async (machinePin, shown) => {
      const home = makeHome();
      await slmgrBinary(home, ['/ipk', KEYS.volume]);
      await slmgrBinary(home, ['/skms', machinePin]);
      await slmgrBinary(home, ['/skms', 'kms.test', SKU.volume]);
      const call = await slmgrBinary(home, ['/ckms', SKU.volume]);
      expect(call.stdout).toContain(
        `The machine's volume host ${shown} still applies to this product; slmgr /ckms without an activation ID clears it.`,
      );
    },
  );

  it.each([
    ['the machine', [['/skms', 'kms.test:1700'], ['/ckms']]],
    [
      'a product',
      [
        ['/skms', 'kms.test:1700', SKU.volume],
        ['/ckms', SKU.volume],
      ],
    ],
    ['a port alone', [['/skms', ':1700'], ['/ckms']]],
  ])('when a pin for %s is cleared then --json shows it as never set', async (_, steps) => {
    const never = makeHome();
    await slmgrBinary(never, ['/ipk', KEYS.volume]);
    const cleared = makeHome();
    await slmgrBinary(cleared, ['/ipk', KEYS.volume]);
    for (const argv of steps) await slmgrBinary(cleared, argv);
    expect(await volumeClient(cleared)).toEqual(await volumeClient(never));
  });
});
