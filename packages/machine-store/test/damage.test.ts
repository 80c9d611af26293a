import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ok } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { openMachineStore, setAsideDamagedStore, storePaths } from '../src/index.js';
import { tempHome } from './helpers.js';

function seeded(): string {
  const home = tempHome();
  const opened = openMachineStore({ home, access: 'write', now: 5 });
  if (!opened.ok) throw opened.error;
  opened.value.update((tx) => {
    tx.setState({ activations: ['kept'] });
    tx.putLicenceFile({
      id: 'il',
      kind: 'issuance-licence',
      origin: 'file',
      name: 'il',
      content: 'z',
      installedAt: 1,
    });
    return ok(true);
  });
  opened.value.close();
  return home;
}

function overwrite(path: string, offset: number, bytes: number): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(bytes, 0x5a), 0, bytes, offset);
  closeSync(fd);
}

describe('a damaged store', () => {
  it('when the file header is overwritten then opening reports store.corrupt and the way out', () => {
    const home = seeded();
    overwrite(storePaths(home).database, 0, 100);
    const opened = openMachineStore({ home, access: 'write', now: 6 });
    expect(opened.ok ? null : opened.error.code).toBe('store.corrupt');
    expect(opened.ok ? '' : opened.error.message).toContain('slmgr /rilc');
  });

  it('when a page is damaged then the integrity check on open reports store.corrupt', () => {
    const home = seeded();
    overwrite(storePaths(home).database, 4096 + 8, 3000);
    const opened = openMachineStore({ home, access: 'write', check: true, now: 6 });
    expect(opened.ok ? null : opened.error.code).toBe('store.corrupt');
  });

  it('when set aside then its store id and last state are salvaged and a new store can open', () => {
    const home = seeded();
    const paths = storePaths(home);
    const storeId = JSON.parse(readFileSync(paths.backup, 'utf8')).storeId;
    overwrite(paths.database, 0, 100);
    const salvage = setAsideDamagedStore(paths, 7);
    expect(salvage).toMatchObject({ storeId, state: { activations: ['kept'] } });
    expect(existsSync(salvage.damagedPath ?? '')).toBe(true);
    const fresh = openMachineStore({
      home,
      access: 'write',
      rebuild: true,
      storeId: salvage.storeId ?? undefined,
      now: 8,
    });
    expect(fresh.ok ? fresh.value.storeId : fresh.error.code).toBe(storeId);
  });

  it('when only a later page is damaged then licence files are salvaged from the database', () => {
    const home = seeded();
    const salvage = setAsideDamagedStore(storePaths(home), 9);
    expect(salvage.licenceFiles.map((file) => file.id)).toEqual(['il']);
  });
});
