import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { licenceCopyName, openMachineStore, storePaths } from '../src/index.js';
import { tempHome } from './helpers.js';

const LICENCE = {
  id: 'il:d0000000-0000-4000-8000-000000000009:2',
  kind: 'issuance-licence',
  origin: 'file' as const,
  name: 'token.slm',
  content: 'slm1.issuance-licence.x.y',
  installedAt: 1,
};

describe('licence folder copies', () => {
  it('when a copy is kept then it lands in a new 0755 licence folder, and removing the licence removes it', () => {
    const home = tempHome();
    const paths = storePaths(home);
    const opened = openMachineStore({ home, access: 'write', now: 6 });
    if (!opened.ok) throw opened.error;
    const store = opened.value;
    store.update((tx) => {
      tx.putLicenceFile(LICENCE);
      tx.keepLicenceCopy(LICENCE);
      return ok(true);
    });
    const copy = join(paths.licenceDir, licenceCopyName(LICENCE.id));
    expect(readFileSync(copy, 'utf8')).toBe(`${LICENCE.content}\n`);
    expect(statSync(paths.licenceDir).mode & 0o777).toBe(0o755);
    expect(licenceCopyName(LICENCE.id)).toBe('il-d0000000-0000-4000-8000-000000000009-2.slm');
    store.update((tx) => ok(tx.removeLicenceFile(LICENCE.id)));
    store.close();
    expect(existsSync(copy)).toBe(false);
  });

  it('when the change fails then no copy is written', () => {
    const home = tempHome();
    const opened = openMachineStore({ home, access: 'write', now: 6 });
    if (!opened.ok) throw opened.error;
    opened.value.update((tx) => {
      tx.keepLicenceCopy(LICENCE);
      return fail('internal.unexpected', 'refused');
    });
    opened.value.close();
    expect(existsSync(storePaths(home).licenceDir)).toBe(false);
  });
});
