import { execFileSync } from 'node:child_process';
import { ok } from '@slm/core';
import { letOthersReach } from '@slm/vitest-preset/others';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMachineStore } from '../src/index.js';
import { tempHome } from './helpers.js';

const READER = new URL('./fixtures/reader.mjs', import.meta.url).pathname;

function asNobody(home: string): Record<string, unknown> {
  const args = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, READER, home];
  return JSON.parse(execFileSync('setpriv', args, { encoding: 'utf8' }));
}

describe('a user who cannot write the store', () => {
  let restore = () => {};
  beforeAll(() => {
    restore = letOthersReach(new URL('.', import.meta.url).pathname);
  });
  afterAll(() => restore());

  it('when the store exists then they read the state but cannot change it or read secrets', () => {
    const home = tempHome();
    const opened = openMachineStore({ home, access: 'write', now: 1 });
    if (!opened.ok) throw opened.error;
    opened.value.update((tx) => {
      tx.setState({ counter: 7 });
      tx.setSecrets({ productKeys: { a: 'SECRET' } });
      return ok(true);
    });
    opened.value.close();

    expect(asNobody(home)).toEqual({
      open: 'ok',
      writable: false,
      state: { counter: 7 },
      update: 'store.permission',
      openForWrite: 'store.permission',
      secrets: 'EACCES',
    });
  });

  it('when no store exists yet then they are told an administrator must create it', () => {
    expect(asNobody(tempHome())).toMatchObject({
      open: 'store.not_initialised',
      openForWrite: 'store.permission',
    });
  });
});
