import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_SKUS } from '@slm/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { type HostProcess, makeHome, runBinary, startBinary } from './binary.js';

// Bad input through the built binary: exit status 2, a message naming the value, nothing changed.
const USAGE = 2;
const VENDOR_KEY = 'A'.repeat(43);

let running: HostProcess[] = [];
afterEach(async () => {
  await Promise.all(running.map((host) => host.stop()));
  running = [];
});

function expectUsage(result: ReturnType<typeof runBinary>, message: RegExp) {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/unexpected failure/);
  expect(result.status).toBe(USAGE);
}

describe('slm-kms numeric options', () => {
  it.each([
    ['run', '--port', '99999'],
    ['run', '--port', '0x10'],
    ['run', '--port', '1e3'],
    ['run', '--port', '-1'],
    ['run', '--metrics-port', '70000'],
    ['run', '--max-connections', '0'],
    ['run', '--idle-timeout', '0'],
    ['run', '--dns-weight', '65536'],
    ['probe', '--timeout', '0'],
    ['probe', '--licence-state', '7'],
    ['probe', '-n', '1.5'],
  ])(
    'when %s is given %s %s then it is a usage error naming the value',
    (command, option, value) => {
      const { home } = makeHome();
      const probe = [
        '127.0.0.1',
        '--vendor-key',
        VENDOR_KEY,
        '--product',
        LAB_SKUS.volume.activationId,
      ];
      const args = command === 'probe' ? probe : [];
      const result = runBinary([command, ...args, option, value], { SLM_HOME: home });
      expectUsage(result, new RegExp(`option '${option}[^']*' argument '${value}' is invalid`));
      expect(existsSync(join(home, 'volume-host'))).toBe(false);
    },
  );

  it('when options come without a command then they are the options of run', () => {
    expectUsage(runBinary(['--port', '0x10']), /option '--port <port>' argument '0x10'/);
  });
});

describe('slm-kms run', () => {
  it('when the port is taken by another volume host then it says so and exits', async () => {
    const first = await startBinary(makeHome().home);
    running.push(first);
    const { home } = makeHome();
    const args = ['run', '--listen', '127.0.0.1', '--port', String(first.port)];
    const result = runBinary(args, { SLM_HOME: home });
    expect(result.stderr).toMatch(
      new RegExp(`error: port ${first.port} on 127.0.0.1 is already in use .*--port`),
    );
    expect(result.status).toBe(1);
  });

  it('when the metrics port is taken then the advice is about the metrics port', async () => {
    const first = await startBinary(makeHome().home);
    running.push(first);
    const { home } = makeHome();
    const args = [
      'run',
      '--listen',
      '127.0.0.1',
      '--port',
      '0',
      '--metrics-port',
      String(first.port),
    ];
    const result = runBinary(args, { SLM_HOME: home });
    expect(result.stderr).toContain(`port ${first.port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('give another --metrics-port');
    expect(result.status).toBe(1);
  });

  it('when a listen address does not resolve then it is a usage error naming it', () => {
    const { home } = makeHome();
    const result = runBinary(['run', '--listen', 'nothost.invalid', '--port', '0'], {
      SLM_HOME: home,
    });
    expectUsage(result, /error: cannot listen on nothost\.invalid: no such address/);
  });

  it.each([
    [
      ['--dns-server', 'bogus'],
      /'--dns-server <ip:port>' argument 'bogus' is invalid\. expected an IP/,
    ],
    [['--dns-server', '127.0.0.1:99999'], /argument '127\.0\.0\.1:99999' is invalid/],
    [['--dns-domain', 'a..b'], /"a\.\.b" is not a DNS name/],
    [['--dns-name', 'bad name'], /"bad name" is not a DNS name/],
    [
      ['--tsig-key', '/nonexistent/key'],
      /\/nonexistent\/key cannot be read or holds no hmac-sha256 key/,
    ],
  ])(
    'when DNS publishing is given %j then it is a usage error before anything starts',
    (args, message) => {
      const { home } = makeHome();
      expectUsage(runBinary(['run', '--port', '0', ...args], { SLM_HOME: home }), message);
      expect(existsSync(join(home, 'volume-host', 'slm-kms.pid'))).toBe(false);
    },
  );

  it('when the listen list has an empty entry then it is refused', () => {
    expectUsage(
      runBinary(['run', '--listen', '127.0.0.1,']),
      /argument '127\.0\.0\.1,' is invalid/,
    );
  });
});

describe('slm-kms probe', () => {
  const probe = (target: string, ...args: string[]) =>
    runBinary(['probe', target, ...args, '--timeout', '2000']);

  it('when the target port is out of range then it is a usage error naming the target', () => {
    const result = probe(
      '127.0.0.1:99999',
      '--vendor-key',
      VENDOR_KEY,
      '--product',
      LAB_SKUS.volume.activationId,
    );
    expectUsage(result, /value '127\.0\.0\.1:99999' is invalid.*from 1 to 65535/);
  });

  it('when the vendor key is not a public key then it says so before sending anything', () => {
    const result = probe(
      '127.0.0.1:1',
      '--vendor-key',
      'xyz',
      '--product',
      LAB_SKUS.volume.activationId,
    );
    expectUsage(result, /option '--vendor-key <key>' argument 'xyz' is invalid.*public key/);
  });

  it('when the product is not a GUID then it says so before sending anything', () => {
    const result = probe('127.0.0.1:1', '--vendor-key', VENDOR_KEY, '--product', 'nope');
    expectUsage(result, /option '--product <activationId>' argument 'nope' is invalid.*GUID/);
  });

  it('when the product GUID is in upper case then the host is asked for it in lower case', async () => {
    const { home, vendor } = makeHome();
    const host = await startBinary(home);
    running.push(host);
    const product = LAB_SKUS.volume.activationId.toUpperCase();
    const args = ['--vendor-key', vendor.keys.publicKey, '--product', product, '--json'];
    const result = probe(`127.0.0.1:${host.port}`, ...args);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, outcomes: { below_threshold: 1 } });
    expect(result.status).toBe(0);
  });
});

describe('slm-kms commands', () => {
  it('when maintenance is given neither on nor off then it says what it takes', () => {
    expectUsage(
      runBinary(['maintenance', 'maybe']),
      /^error: maintenance takes on or off, not maybe\n$/,
    );
  });

  it('when the home holds no volume host then maintenance on refuses and creates nothing', () => {
    const home = join(makeHome().home, 'nonexist');
    const result = runBinary(['maintenance', 'on', '--home', home]);
    expect(result.stderr).toMatch(
      `error: ${home} is not a volume host's store: ${join(home, 'private', 'volume-host.json')} is missing`,
    );
    expect(result.stdout).toBe('');
    expect(result.status).toBe(3);
    expect(existsSync(home)).toBe(false);
  });

  it('when maintenance is switched on in a host home with no running host then it waits for the start', () => {
    const { home } = makeHome();
    const result = runBinary(['maintenance', 'on', '--home', home]);
    expect(result.stdout).toBe('maintenance on; applies at the next start\n');
    expect(readdirSync(join(home, 'volume-host'))).toEqual(['maintenance']);
  });

  it('when the command is unknown then it is named as an unknown command', () => {
    expectUsage(runBinary(['bogus']), /error: unknown command 'bogus'/);
  });

  it('when --help is asked for then the commands are listed and the status is 0', () => {
    const result = runBinary(['--help']);
    expect(result.stdout).toMatch(/run \[options\][\s\S]*probe[\s\S]*maintenance/);
    expect(result.status).toBe(0);
  });
});
