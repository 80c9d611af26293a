import { describe, expect, it } from 'vitest';
import { KEYS, makeHome } from './fixtures.js';
import { expectError, slmgrBinary } from './harness.js';

const KEY = KEYS.retail;
const MASKED = `*****-*****-*****-*****-${KEY.slice(-5)}`;

describe('a product key typed where slmgr does not expect one', () => {
  it.each([
    [['/ato', KEY]],
    [['/dli', KEY]],
    [['/upk', KEY]],
    [['/xpr', 'all', KEY]],
    [['/xpr', KEY]],
    [[`/ipk ${KEY}`]],
    [[`/ipk:${KEY}`]],
    [[`/ipk=${KEY}`]],
    [[`/ipk:${KEY.replaceAll('-', '')}`]],
    [['/ato', KEY, '--json']],
  ])('when slmgr %j fails then the key shows only masked, on stdout and stderr', async (argv) => {
    const call = await slmgrBinary(makeHome(), argv);
    expect(call.status).not.toBe(0);
    const output = (call.stdout + call.stderr).replaceAll('-', '');
    expect(output).not.toContain(KEY.replaceAll('-', '').slice(0, 20));
    if (argv.length === 1 || argv[0] === '/dli') expect(call.stderr).toContain(MASKED);
  });

  it('when the key is glued to /ipk then it says to give it as a separate word', async () => {
    const call = await slmgrBinary(makeHome(), [`/ipk:${KEY}`]);
    expectError(call, 2, 'usage.unknown_option', 'as in slmgr /ipk ARGUMENT');
  });
});

describe('an option written the way another tool writes it', () => {
  it.each(['--dli', '\u2014dli', '\u2013dli', '\\dli'])(
    'when it is %s then it names the option slmgr reads',
    async (word) => {
      expectError(
        await slmgrBinary(makeHome(), [word]),
        2,
        'usage.unknown_option',
        `unknown option ${word}; slmgr options start with / or - (did you mean /dli?)`,
      );
    },
  );

  it.each([' /dli', '/dli ', ' -DLI '])(
    'when it is %j then the spaces are ignored',
    async (word) => {
      const home = makeHome();
      await slmgrBinary(home, ['/rilc']);
      const call = await slmgrBinary(home, [word, 'all']);
      expect(call.status).toBe(0);
      expect(call.stdout).toContain('Name: Example Desktop');
    },
  );
});

describe('/ipk - with more than one line', () => {
  it('when standard input holds two keys then it is refused and none is installed', async () => {
    const home = makeHome();
    await slmgrBinary(home, ['/rilc']);
    const call = await slmgrBinary(home, ['/ipk', '-'], {}, `${KEYS.retail}\n${KEYS.retail2}\n`);
    expectError(call, 2, 'usage.invalid_argument', 'standard input has 2 non-empty lines');
    expect(call.stderr).not.toContain(KEYS.retail);
    expectError(await slmgrBinary(home, ['/dli']), 4, 'key.not_installed');
  });

  it('when the key comes with blank lines around it then it is installed', async () => {
    const home = makeHome();
    const call = await slmgrBinary(home, ['/ipk', '-'], {}, `\n  ${KEYS.retail}  \n\n`);
    expect(call.status).toBe(0);
  });
});
