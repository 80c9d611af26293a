import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYS, makeHome } from './fixtures.js';
import { expectError, slmgr, slmgrJson } from './harness.js';

/** A store with the retail key installed whose secrets file was then overwritten. */
async function damagedSecrets(): Promise<{ home: string; path: string }> {
  const home = makeHome();
  await slmgr(home, ['/ipk', KEYS.retail]);
  const path = join(home, 'private', 'secrets.json');
  writeFileSync(path, 'x\n');
  return { home, path };
}

describe('a damaged private/secrets.json', () => {
  it('when /cpky runs then it clears the damaged file instead of crashing, and a second run says nothing changed', async () => {
    const { home, path } = await damagedSecrets();
    const call = await slmgr(home, ['/cpky']);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain(`Cleared the damaged secrets file ${path}`);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ productKeys: {} });
    expect((await slmgr(home, ['/cpky'])).stdout).toContain('Nothing changed');
    expect((await slmgr(home, ['/dli'])).stdout).toContain(
      `Partial Product Key: ${KEYS.retail.slice(-5)}`,
    );
  });

  it('when /upk runs then the key is uninstalled and it warns that the copy is unreadable', async () => {
    const { home, path } = await damagedSecrets();
    const call = await slmgr(home, ['/upk']);
    expect(call.status).toBe(0);
    expect(call.stdout).toContain('it is now Unlicensed.');
    expect(call.stdout).toContain(`Warning store.corrupt:`);
    expect(call.stdout).toContain(path);
    expect(call.stdout).toContain('slmgr /cpky');
    expectError(await slmgr(home, ['/dli']), 4, 'key.not_installed');
  });

  it('when /upk runs with --json then the warning is data', async () => {
    const { home, path } = await damagedSecrets();
    const { status, doc } = await slmgrJson(home, ['/upk']);
    expect(status).toBe(0);
    expect(doc.result.warnings).toEqual([
      { code: 'store.corrupt', message: expect.stringContaining(path) },
    ]);
  });

  it('when /ipk runs then store.corrupt names the secrets file and /cpky as the way out', async () => {
    const { home, path } = await damagedSecrets();
    const call = await slmgr(home, ['/ipk', KEYS.retail2]);
    expectError(call, 8, 'store.corrupt', path);
    expect(call.stderr).toContain('slmgr /cpky');
  });
});
