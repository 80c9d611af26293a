import { describe, expect, it } from 'vitest';
import { KEYS, makeHome, SKU } from './fixtures.js';
import { expectError, slmgr, slmgrJson } from './harness.js';

async function volumeClient(): Promise<string> {
  const home = makeHome();
  await slmgr(home, ['/ipk', KEYS.volume]);
  return home;
}

describe('volume client settings', () => {
  it.each([
    ['kms.example', 'kms.example:1688'],
    ['kms.example:1700', 'kms.example:1700'],
    ['10.0.0.5', '10.0.0.5:1688'],
    ['[2001:db8::5]:1690', '[2001:db8::5]:1690'],
  ])('when /skms %s then /dli shows the registered host %s', async (address, shown) => {
    const home = await volumeClient();
    const call = await slmgr(home, ['/skms', address]);
    expect(call).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('Changed volume host name'),
    });
    expect((await slmgr(home, ['/dli'])).stdout).toContain(`Registered volume host: ${shown}`);
  });

  it('when /skms :port then only the port changes', async () => {
    const home = await volumeClient();
    await slmgr(home, ['/skms', 'kms.example']);
    const { doc } = await slmgrJson(home, ['/skms', ':1800']);
    expect(doc.result).toEqual({
      activationId: null,
      changed: true,
      changes: [{ setting: 'kms.port', from: null, to: 1800 }],
    });
  });

  it('when the same host is pinned again then it says nothing changed and why', async () => {
    const home = await volumeClient();
    await slmgr(home, ['/skms', 'kms.example']);
    const call = await slmgr(home, ['/skms', 'kms.example']);
    expect(call.stdout).toBe('Nothing changed: the volume host is already kms.example.\n');
  });

  it('when a bare IPv6 address is given then it asks for brackets and exits 3', async () => {
    expectError(
      await slmgr(makeHome(), ['/skms', '2001:db8::5']),
      3,
      'setting.invalid',
      '[2001:db8::5]',
    );
  });

  it('when /ckms runs then host and port are cleared', async () => {
    const home = await volumeClient();
    await slmgr(home, ['/skms', 'kms.example:1700']);
    expect((await slmgr(home, ['/ckms'])).status).toBe(0);
    expect((await slmgr(home, ['/dli'])).stdout).toContain(
      'Registered volume host: none: found through DNS',
    );
  });

  it('when a domain is set and cleared then /dli follows', async () => {
    const home = await volumeClient();
    await slmgr(home, ['/skms-domain', 'Corp.Example']);
    expect((await slmgr(home, ['/dli'])).stdout).toContain('Volume host DNS domain: corp.example');
    await slmgr(home, ['/ckms-domain']);
    expect((await slmgr(home, ['/dli'])).stdout).toContain('Volume host DNS domain: not set');
  });

  it('when host caching is turned off and on then /dli follows', async () => {
    const home = await volumeClient();
    await slmgr(home, ['/ckhc']);
    expect((await slmgr(home, ['/dli'])).stdout).toContain('Volume host caching: disabled');
    await slmgr(home, ['/skhc']);
    expect((await slmgr(home, ['/dli'])).stdout).toContain('Volume host caching: enabled');
  });

  it('when a per-product host is set then only that product changes', async () => {
    const home = await volumeClient();
    const { doc } = await slmgrJson(home, ['/skms', 'kms2.example', SKU.volume]);
    expect(doc.result.activationId).toBe(SKU.volume);
    expect((await slmgr(home, ['/dli'])).stdout).toContain(
      'Registered volume host: kms2.example:1688',
    );
  });

  it('when the activation ID is not installed then product.not_found, exit 4', async () => {
    const call = await slmgr(makeHome(), ['/skms', 'kms', 'ffffffff-0000-4000-8000-000000000000']);
    expectError(call, 4, 'product.not_found');
  });

  it('when /act-type, /stao and /ctao run then the activation type follows', async () => {
    const home = await volumeClient();
    await slmgr(home, ['/act-type', '2']);
    expect((await slmgr(home, ['/dli'])).stdout).toContain(
      'Allowed activation type: volume host only',
    );
    await slmgr(home, ['/stao']);
    expect((await slmgr(home, ['/dli'])).stdout).toContain('Allowed activation type: token only');
    await slmgr(home, ['/ctao']);
    expect((await slmgr(home, ['/dli'])).stdout).toContain('Allowed activation type: all');
  });

  it('when /act-type 1 then directory-based activation is refused clearly', async () => {
    expectError(
      await slmgr(makeHome(), ['/act-type', '1']),
      5,
      'setting.unsupported',
      'directory-based',
    );
  });
});

describe('volume host settings', () => {
  it.each([
    ['/sai', '60'],
    ['/sri', '20160'],
    ['/sprt', '1700'],
    ['/sdns'],
    ['/cdns'],
    ['/spri'],
    ['/cpri'],
  ])(
    'when %s runs without a volume host key then it is refused and nothing changes',
    async (...argv) => {
      expectError(await slmgr(makeHome(), argv.filter(Boolean)), 5, 'setting.not_volume_host');
    },
  );

  it('when a volume host key is installed then each host setting changes and /dli shows it', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.host]);
    const reload = 'The volume host uses the new setting at its next reload (SIGHUP) or restart.';
    for (const [argv, when] of [
      [['/sai', '60'], reload],
      [['/sri', '20160'], reload],
      [['/sprt', '1700'], 'listens on the new port when it restarts'],
      [['/cdns'], reload],
      [['/cpri'], reload],
    ] as const) {
      const call = await slmgr(home, [...argv]);
      expect(call.stdout).toContain(when);
    }
    const dli = (await slmgr(home, ['/dli'])).stdout;
    for (const text of [
      'port: 1700',
      'DNS publishing: disabled',
      'Priority: low',
      'Activation interval: 60',
      'Renewal interval: 20160',
    ]) {
      expect(dli).toContain(text);
    }
    expect((await slmgr(home, ['/cpri'])).stdout).toContain('Nothing changed');
  });

  it.each([['2h'], ['1e3'], ['-5'], ['14'], ['43201']])(
    'when /sai %s then it is refused with the range',
    async (value) => {
      const home = makeHome();
      await slmgr(home, ['/ipk', KEYS.host]);
      const call = await slmgr(home, ['/sai', value]);
      expect(call.status).toBe(3);
      expect(call.stderr).toContain('from 15 to 43200');
    },
  );

  it('when /sprt 70000 then the port range is named', async () => {
    expectError(
      await slmgr(makeHome(), ['/sprt', '70000']),
      3,
      'setting.out_of_range',
      'from 1 to 65535',
    );
  });
});
