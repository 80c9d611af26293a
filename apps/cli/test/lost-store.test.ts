import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KEYS, makeHome } from './fixtures.js';
import { expectError, slmgr } from './harness.js';

const BIN = new URL('../bin/slmgr.js', import.meta.url).pathname;

/** The store id the recovery copy records: the store's part of the machine identity. */
function storeIdOf(home: string): string {
  return JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')).storeId;
}

async function bin(home: string, argv: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...argv], {
      env: { ...process.env, SLM_HOME: home },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('a display command never creates a store', () => {
  it('when store.db is deleted then /dli reports store.corrupt instead of a new machine identity', async () => {
    const home = makeHome();
    await slmgr(home, ['/ipk', KEYS.retail]);
    const storeId = storeIdOf(home);
    const backup = readFileSync(join(home, 'state.json'), 'utf8');
    rmSync(join(home, 'store.db'));

    expectError(await slmgr(home, ['/dli']), 8, 'store.corrupt', 'slmgr /rilc');
    expectError(await slmgr(home, ['/skms', 'kms.example']), 8, 'store.corrupt', 'state.json');
    expect(existsSync(join(home, 'store.db'))).toBe(false);
    expect(readFileSync(join(home, 'state.json'), 'utf8')).toBe(backup);

    const rebuilt = await slmgr(home, ['/rilc']);
    expect(rebuilt.stdout).toContain('was missing: it was rebuilt');
    expect(storeIdOf(home)).toBe(storeId);
    expect((await slmgr(home, ['/dli'])).stdout).toContain(
      `Partial Product Key: ${KEYS.retail.slice(-5)}`,
    );
  });

  it('when SLM_HOME is mistyped then /dli says there is no store and creates nothing', async () => {
    const home = join(makeHome(), '..', 'hmoe');
    const call = await slmgr(home, ['/dli']);
    expectError(
      call,
      8,
      'store.not_initialised',
      `no licence store at ${home}; install a catalog with slmgr /ilc FILE to create one`,
    );
    expect(existsSync(home)).toBe(false);
  });

  it('when the home holds only a licence folder then /dli creates nothing and a change creates the store', async () => {
    const home = makeHome();
    expectError(await slmgr(home, ['/dli']), 8, 'store.not_initialised');
    expect(existsSync(join(home, 'store.db'))).toBe(false);
    expect((await slmgr(home, ['/ipk', KEYS.retail])).status).toBe(0);
    expect(existsSync(join(home, 'store.db'))).toBe(true);
  });

  it('when the binary runs /dli on a deleted store.db then it exits 8 with store.corrupt', async () => {
    const home = makeHome();
    await bin(home, ['/ipk', KEYS.retail]);
    rmSync(join(home, 'store.db'));
    const call = await bin(home, ['/dli']);
    expect(call.status).toBe(8);
    expect(call.stderr).toContain('Error store.corrupt:');
    expect(existsSync(join(home, 'store.db'))).toBe(false);
  });
});
