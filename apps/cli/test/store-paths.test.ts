import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { letOthersReach } from '@slm/vitest-preset/others';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogText, KEYS, makeHome } from './fixtures.js';
import { type Call, expectError, slmgrBinary } from './harness.js';

const BIN = new URL('../bin/slmgr.js', import.meta.url).pathname;

/** Runs the built slmgr with standard input read from `path` (a device, say). */
function slmgrWithStdinFrom(home: string, argv: string[], path: string): Promise<Call> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: { ...process.env, SLM_HOME: home },
      stdio: [openSync(path, 'r'), 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

describe('files slmgr is told to read', () => {
  it('when /ilc names a device then it is refused before being read', async () => {
    const call = await slmgrBinary(makeHome(), ['/ilc', '/dev/zero']);
    expectError(call, 3, 'cli.file_unreadable', 'it is not a regular file');
  });

  it('when /ilc names a file over 1 MiB then it is refused', async () => {
    const home = makeHome();
    const big = join(home, '..', 'big.signed');
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 0x61));
    expectError(await slmgrBinary(home, ['/ilc', big]), 3, 'cli.file_unreadable', '1 MiB');
  });

  it('when the licence folder holds a pipe and a folder then /rilc skips them', async () => {
    const home = makeHome();
    execFileSync('mkfifo', [join(home, 'licences', 'pipe.slm')]);
    mkdirSync(join(home, 'licences', 'folder.slm'));
    const call = await slmgrBinary(home, ['/rilc']);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain('Skipped pipe.slm: cannot read it (it is not a regular file)');
    expect(call.stdout).toContain('Skipped folder.slm');
  });

  it('when /ipk - reads an endless standard input then it is refused', async () => {
    const home = makeHome();
    const call = await slmgrWithStdinFrom(home, ['/ipk', '-'], '/dev/zero');
    expectError(call, 2, 'usage.invalid_argument', 'more than 64 KiB');
  });
});

describe('a store path that is a file', () => {
  function aFile(home: string): string {
    const path = join(home, '..', 'afile');
    writeFileSync(path, 'not a folder');
    return path;
  }

  it('when --store names a file then it says so, naming it', async () => {
    const home = makeHome();
    const file = aFile(home);
    const catalog = join(home, 'licences', 'catalog.slm');
    const call = await slmgrBinary(home, ['--store', file, '/ilc', catalog]);
    expectError(call, 2, 'usage.invalid_argument', `${file} is a file, not a folder`);
    expect(call.stderr).toContain('--store');
  });

  it('when SLM_HOME or SLM_LICENCE_DIR names a file then it says which', async () => {
    const home = makeHome();
    const file = aFile(home);
    const catalog = join(home, '..', 'cat.signed');
    writeFileSync(catalog, catalogText());
    const viaHome = await slmgrBinary(home, ['/dli'], { SLM_HOME: file });
    expectError(viaHome, 2, 'usage.invalid_argument', `${file} is a file, not a folder`);
    const viaLicences = await slmgrBinary(home, ['/ilc', catalog], { SLM_LICENCE_DIR: file });
    expectError(viaLicences, 2, 'usage.invalid_argument', 'SLM_LICENCE_DIR');
  });
});

const canSwitchUser = process.getuid?.() === 0 && hasSetpriv();

function hasSetpriv(): boolean {
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(canSwitchUser)('a store another user may not read', () => {
  let restore = () => {};
  beforeAll(() => {
    restore = letOthersReach(new URL('.', import.meta.url).pathname);
  });
  afterAll(() => restore());

  it('when the home is 0700 and root-owned then a non-administrator is told it cannot be read', async () => {
    const home = makeHome();
    expect((await slmgrBinary(home, ['/ipk', KEYS.retail])).status).toBe(0);
    chmodSync(home, 0o700);
    const call = await new Promise<Call>((resolve) => {
      const args = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN];
      const child = spawn('setpriv', [...args, '/dli'], {
        env: { ...process.env, SLM_HOME: home },
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('close', (status) => resolve({ status: status ?? -1, stdout: '', stderr }));
    });
    expectError(call, 7, 'store.permission', 'cannot be read by this user');
  });
});
