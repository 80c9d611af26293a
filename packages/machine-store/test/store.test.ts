import { statSync } from 'node:fs';
import { ok } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { type MachineStore, openMachineStore, SCHEMA_VERSION, storePaths } from '../src/index.js';
import { tempHome } from './helpers.js';

function open(home: string, access: 'read' | 'write' = 'write'): MachineStore {
  const opened = openMachineStore({ home, access, now: 1_000 });
  if (!opened.ok) throw opened.error;
  return opened.value;
}

describe('opening a machine store', () => {
  it('when the home is new then it creates a WAL database with a schema version and a store id', () => {
    const home = tempHome();
    const store = open(home);
    const again = open(home);
    expect(store.storeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.storeId).toBe(store.storeId);
    const read = again.read((view) => view.state());
    expect(read).toEqual({ ok: true, value: null });
    store.close();
    again.close();
    expect(SCHEMA_VERSION).toBeGreaterThan(0);
  });

  it('when two homes are opened then they are two machines with different store ids', () => {
    expect(open(tempHome()).storeId).not.toBe(open(tempHome()).storeId);
  });
});

describe('changing the store', () => {
  it('when a change succeeds then state, licence files and secrets are all written', () => {
    const home = tempHome();
    const store = open(home);
    const result = store.update((tx) => {
      tx.setState({ products: 1 });
      tx.putLicenceFile({
        id: 'a',
        kind: 'catalog',
        origin: 'folder',
        name: 'a',
        content: 'x',
        installedAt: 1,
      });
      tx.setSecrets({ productKeys: { id: 'FULL-KEY' } });
      tx.setNote('proof', '42');
      return ok('done');
    });
    expect(result).toEqual({ ok: true, value: 'done' });
    const view = store.read((v) => ({
      state: v.state(),
      files: v.licenceFiles().map((f) => f.id),
    }));
    expect(view).toEqual({ ok: true, value: { state: { products: 1 }, files: ['a'] } });
    expect(store.update((tx) => ok(tx.secrets()))).toEqual({
      ok: true,
      value: { productKeys: { id: 'FULL-KEY' } },
    });
  });

  it('when a change fails then nothing of it is kept', () => {
    const store = open(tempHome());
    const failed = store.update((tx) => {
      tx.setState({ lost: true });
      tx.putLicenceFile({
        id: 'b',
        kind: 'x',
        origin: 'file',
        name: 'b',
        content: 'y',
        installedAt: 1,
      });
      return { ok: false, error: new Error('refused') as never };
    });
    expect(failed.ok).toBe(false);
    expect(store.read((v) => [v.state(), v.licenceFiles().length])).toEqual({
      ok: true,
      value: [null, 0],
    });
  });

  it('when secrets are written then only the owner can read them', () => {
    const home = tempHome();
    const store = open(home);
    store.update((tx) => {
      tx.setSecrets({ productKeys: {} });
      return ok(true);
    });
    const paths = storePaths(home);
    expect(statSync(paths.secrets).mode & 0o777).toBe(0o600);
    expect(statSync(paths.privateDir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.database).mode & 0o077).toBe(0o044);
  });
});
