import { describe, expect, it } from 'vitest';
import { makeHome } from './fixtures.js';
import { expectError, slmgr, slmgrBinary, slmgrJson } from './harness.js';

describe('reading the command line the slmgr way', () => {
  it.each([
    ['/DLI', 'all'],
    ['-dli', 'all'],
    ['/Dli', 'ALL'],
  ])('when called as %s %s then it runs /dli', async (option, target) => {
    const home = makeHome();
    await slmgr(home, ['/rilc']);
    const call = await slmgr(home, [option, target]);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain('Name: Example Desktop, Professional edition');
  });

  it('when the option is unknown then it names it and exits 2', async () => {
    expectError(await slmgr(makeHome(), ['/xyz']), 2, 'usage.unknown_option', '/xyz');
  });

  it('when an argument is missing then it names the option and the argument', async () => {
    expectError(await slmgr(makeHome(), ['/ipk']), 2, 'usage.missing_argument', '/ipk needs key');
  });

  it('when there are too many arguments then it says so', async () => {
    expectError(await slmgr(makeHome(), ['/rearm', 'now']), 2, 'usage.extra_argument', '/rearm');
  });

  it('when two words lead the option then it is an invalid combination', async () => {
    expectError(await slmgr(makeHome(), ['host', 'user', '/dli']), 2, 'usage.invalid_combination');
  });

  it('when a machine is named then remote use is not available yet', async () => {
    expectError(await slmgr(makeHome(), ['host', 'user', 'pw', '/dli']), 9, 'cli.not_available');
  });

  it('when no option is given then it says how to name one', async () => {
    expectError(await slmgr(makeHome(), []), 2, 'usage.no_option', 'slmgr /dli');
  });

  it.each(['/ltc', '/fta'])('when %s is used then it is not available yet', async (option) => {
    const argv = option === '/fta' ? [option, '123'] : [option];
    expectError(await slmgr(makeHome(), argv), 9, 'cli.not_available');
  });

  it('when an activation ID is not a GUID then it is a usage error', async () => {
    expectError(await slmgr(makeHome(), ['/xpr', 'nope']), 2, 'usage.invalid_argument');
  });

  it('when --help is given then the options and exit statuses are listed', async () => {
    const call = await slmgr(makeHome(), ['--help']);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain('/skms-domain <domain> [activationId]');
    expect(call.stdout).toContain('Exit statuses:');
  });

  it('when --version is given then the version is printed', async () => {
    expect(await slmgr(makeHome(), ['--version'])).toMatchObject({ status: 0, stdout: '0.1.0\n' });
  });

  it('when --json is given for an error then it prints the code and exit status', async () => {
    const { status, doc } = await slmgrJson(makeHome(), ['/sai', '2h']);
    expect(status).toBe(3);
    expect(doc).toEqual({
      ok: false,
      option: 'sai',
      error: {
        code: 'setting.invalid',
        message: expect.stringContaining('from 15 to 43200'),
        context: { value: '2h' },
        exitStatus: 3,
      },
    });
  });
});

describe('a flag without its value', () => {
  it('when --store has no path then the error says so instead of an internal name', async () => {
    const call = await slmgr(makeHome(), ['/dli', '--store']);
    expectError(call, 2, 'usage.invalid_argument', '--store needs a path');
    expect(call.stderr).not.toContain('outputHelp');
  });
});

describe('flags, as the built binary reads them', () => {
  it('when -V is given then the version is printed, as --help lists it', async () => {
    expect(await slmgrBinary(makeHome(), ['-V'])).toMatchObject({ status: 0, stdout: '0.1.0\n' });
  });

  it('when a flag is in upper case then it is read like the options are', async () => {
    const call = await slmgrBinary(makeHome(), ['/sai', '2h', '--JSON']);
    expect(call.status).toBe(3);
    expect(JSON.parse(call.stdout)).toMatchObject({ ok: false, option: 'sai' });
  });

  it('when --store comes last without a path then it says so', async () => {
    expectError(
      await slmgrBinary(makeHome(), ['--store']),
      2,
      'usage.invalid_argument',
      '--store needs a path',
    );
  });

  it('when SLM_HOME is empty then it is as if unset: the system store is used', async () => {
    const empty = await slmgrBinary(makeHome(), ['/dli'], { SLM_HOME: '' });
    const system = await slmgrBinary(makeHome(), ['/dli', '--store', '/var/lib/slm']);
    expect(empty).toEqual(system);
  });
});

describe('volume host addresses as typed', () => {
  it('when /skms is given a URL then it says a URL is not a host, and nothing changes', async () => {
    const home = makeHome();
    await slmgrBinary(home, ['/rilc']);
    const before = await slmgrBinary(home, ['/dlv', '--json']);
    const call = await slmgrBinary(home, ['/skms', 'http://127.0.0.1:1688']);
    expectError(call, 3, 'setting.invalid', 'is a URL');
    expect(await slmgrBinary(home, ['/dlv', '--json'])).toEqual(before);
  });

  it('when /skms is given spaces around the address then they are ignored', async () => {
    const home = makeHome();
    await slmgrBinary(home, ['/rilc']);
    const call = await slmgrBinary(home, ['/skms', ' 127.0.0.1:1700 ']);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain('127.0.0.1');
  });
});

describe('numbers in volume settings as typed', () => {
  it('when /skms is given a signed port then --json names the value, as other /skms errors do', async () => {
    const home = makeHome();
    const call = await slmgrBinary(home, ['/skms', 'host:+80', '--json']);
    expect(call.status).toBe(3);
    expect(JSON.parse(call.stdout).error).toMatchObject({
      code: 'setting.invalid',
      context: { value: '+80' },
    });
  });

  it.each([
    [['/skms', 'host:00011890'], '"00011890"', 'as 11890'],
    [['/skms', ':01688'], '"01688"', 'as 1688'],
    [['/sprt', '01688'], '"01688"', 'as 1688'],
    [['/act-type', '02'], '"02"', 'as 2'],
    [['/sai', '0120'], '"0120"', 'as 120'],
    [['/sri', '010080'], '"010080"', 'as 10080'],
  ])('when %j has leading zeros then it is refused, naming the value', async (argv, value, as) => {
    const call = await slmgrBinary(makeHome(), argv);
    expectError(call, 3, 'setting.invalid', `${value} is not`);
    expect(call.stderr).toContain(`write it without leading zeros, ${as}`);
  });

  it.each([
    [['/skms', ' host:1700 '], 'volume host port from the default (1688) to 1700'],
    [['/act-type', ' 2'], 'volume activation type from 0 to 2'],
  ])(
    'when %j has spaces around the argument then they are ignored, as for every argument',
    async (argv, change) => {
      const call = await slmgrBinary(makeHome(), argv);
      expect(call.status).toBe(0);
      expect(call.stdout).toContain(`Changed ${change}.`);
    },
  );

  it.each([
    ['/act-type', '+2'],
    ['/act-type', '2.0'],
    ['/skms', 'host: 1700'],
    ['/sprt', '-1688'],
  ])('when %s %j is not plain digits then it is refused', async (option, value) => {
    expectError(await slmgrBinary(makeHome(), [option, value]), 3, 'setting.invalid', `"`);
  });
});

describe('the machine named "."', () => {
  it('when the machine is "." then slmgr acts on this machine, as slmgr.vbs does', async () => {
    const home = makeHome();
    const here = await slmgr(home, ['.', '/dli', 'all']);
    const plain = await slmgr(home, ['/dli', 'all']);
    expect(here.status).toBe(plain.status);
    expect(here.stderr).not.toContain('another machine');
  });
});
