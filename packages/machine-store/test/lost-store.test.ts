import { existsSync, readFileSync, rmSync } from 'node:fs';
import { ok } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { openMachineStore, storePaths } from '../src/index.js';
import { tempHome } from './helpers.js';

function seeded(): string {
  const home = tempHome();
  const opened = openMachineStore({ home, access: 'write', now: 5 });
  if (!opened.ok) throw opened.error;
  opened.value.update((tx) => {
    tx.setState({ activations: ['kept'] });
    return ok(true);
  });
  opened.value.close();
  return home;
}

describe('a store whose database is lost', () => {
  it('when store.db is deleted then read and write report store.corrupt and create nothing', () => {
    const home = seeded();
    const paths = storePaths(home);
    rmSync(paths.database);
    const backup = readFileSync(paths.backup, 'utf8');
    for (const access of ['read', 'write'] as const) {
      const opened = openMachineStore({ home, access, now: 6 });
      expect(opened.ok ? null : opened.error.code).toBe('store.corrupt');
      expect(opened.ok ? '' : opened.error.message).toContain('slmgr /rilc');
      expect(opened.ok ? '' : opened.error.message).toContain(paths.backup);
    }
    expect(existsSync(paths.database)).toBe(false);
    expect(readFileSync(paths.backup, 'utf8')).toBe(backup);
  });

  it('when only the private folder is left then the store is lost, not new', () => {
    const home = seeded();
    const paths = storePaths(home);
    rmSync(paths.database);
    rmSync(paths.backup);
    const opened = openMachineStore({ home, access: 'write', now: 6 });
    expect(opened.ok ? null : opened.error.message).toContain(paths.privateDir);
  });

  it('when rebuilding then the store is created over the remnants', () => {
    const home = seeded();
    rmSync(storePaths(home).database);
    const opened = openMachineStore({ home, access: 'write', rebuild: true, now: 6 });
    expect(opened.ok).toBe(true);
    if (opened.ok) opened.value.close();
  });
});

describe('a home without a store', () => {
  it('when a reader opens a home that does not exist then store.not_initialised and no folder', () => {
    const home = tempHome();
    const opened = openMachineStore({ home, access: 'read', now: 1 });
    expect(opened.ok ? null : opened.error.code).toBe('store.not_initialised');
    expect(opened.ok ? '' : opened.error.message).toBe(
      `no licence store at ${home}; install a catalog with slmgr /ilc FILE to create one`,
    );
    expect(existsSync(home)).toBe(false);
  });

  it('when a writer opens a new home then the store is created', () => {
    const home = tempHome();
    const opened = openMachineStore({ home, access: 'write', now: 1 });
    expect(opened.ok).toBe(true);
    if (opened.ok) opened.value.close();
    expect(existsSync(storePaths(home).database)).toBe(true);
  });
});
