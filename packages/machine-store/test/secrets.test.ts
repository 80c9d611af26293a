import { writeFileSync } from 'node:fs';
import { ok } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { openMachineStore, storePaths } from '../src/index.js';
import { tempHome } from './helpers.js';

function openWith(secrets: string) {
  const home = tempHome();
  const opened = openMachineStore({ home, access: 'write', now: 5 });
  if (!opened.ok) throw opened.error;
  writeFileSync(storePaths(home).secrets, secrets);
  return { store: opened.value, path: storePaths(home).secrets };
}

describe('a damaged secrets file', () => {
  it.each([
    ['not JSON', 'x\n'],
    ['JSON of the wrong shape', '{"productKeys":[1]}\n'],
    ['a key that is not text', '{"productKeys":{"a":1}}\n'],
  ])('when secrets.json is %s then reading it reports store.corrupt naming the file', (_, text) => {
    const { store, path } = openWith(text);
    const returned = store.update((tx) => tx.readableSecrets());
    const thrown = store.update((tx) => ok(tx.secrets()));
    store.close();
    for (const outcome of [returned, thrown]) {
      expect(outcome.ok ? null : outcome.error.code).toBe('store.corrupt');
      expect(outcome.ok ? '' : outcome.error.message).toContain(path);
      expect(outcome.ok ? '' : outcome.error.message).toContain('slmgr /cpky');
    }
  });

  it('when it is replaced in a change then the new secrets read back', () => {
    const { store } = openWith('x\n');
    store.update((tx) => {
      tx.setSecrets({ productKeys: {} });
      return ok(true);
    });
    const read = store.update((tx) => tx.readableSecrets());
    store.close();
    expect(read).toEqual({ ok: true, value: { productKeys: {} } });
  });
});
