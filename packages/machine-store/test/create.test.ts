import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fail, ok } from '@slm/core';
import { describe, expect, it } from 'vitest';
import { changeMachineStore, openMachineStore } from '../src/index.js';
import { tempHome } from './helpers.js';

const write = (home: string) => ({ home, access: 'write' as const, now: 5 });

function stateOf(home: string): unknown {
  const opened = openMachineStore({ home, access: 'read', now: 6 });
  if (!opened.ok) throw opened.error;
  const state = opened.value.read((view) => view.state());
  opened.value.close();
  return state.ok ? state.value : null;
}

describe('creating a store with its first change', () => {
  it('when the first change fails then neither the store nor its home is left behind', () => {
    const home = tempHome();
    const result = changeMachineStore(write(home), (store) =>
      store.update(() => fail('key.wrong_product', 'not this product')),
    );
    expect(result.ok ? null : result.error.code).toBe('key.wrong_product');
    expect(existsSync(home)).toBe(false);
    expect(readdirSync(dirname(home))).toEqual([]);
  });

  it('when the first change succeeds then the store takes its place with the change', () => {
    const home = tempHome();
    const result = changeMachineStore(write(home), (store) =>
      store.update((tx) => {
        tx.setState({ made: 1 });
        return ok('done');
      }),
    );
    expect(result).toEqual({ ok: true, value: 'done' });
    expect(readdirSync(home).sort()).toEqual(['private', 'state.json', 'store.db']);
    expect(stateOf(home)).toEqual({ made: 1 });
  });

  it('when another process creates the store meanwhile then the change is made in that store', () => {
    const home = tempHome();
    let calls = 0;
    const result = changeMachineStore(write(home), (store) => {
      calls += 1;
      if (calls === 1) changeMachineStore(write(home), (other) => other.update(seed('first')));
      return store.update(seed(`second after ${calls}`));
    });
    expect(result.ok).toBe(true);
    expect(stateOf(home)).toEqual({ by: 'second after 2' });
    expect(readdirSync(home).sort()).toEqual(['private', 'state.json', 'store.db']);
  });

  it('when a killed command left a staging folder then the next change removes it, but not a fresh one', () => {
    const home = tempHome();
    mkdirSync(join(home, '.store-new-killed', 'private'), { recursive: true });
    writeFileSync(join(home, '.store-new-killed', 'private', 'key'), 'a product key copy');
    const longAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(home, '.store-new-killed'), longAgo, longAgo);
    mkdirSync(join(home, '.store-new-running'));
    const result = changeMachineStore(write(home), (store) => store.update(seed('after')));
    expect(result.ok).toBe(true);
    expect(readdirSync(home).sort()).toEqual([
      '.store-new-running',
      'private',
      'state.json',
      'store.db',
    ]);
  });
});

function seed(by: string) {
  return (tx: { setState(state: unknown): void }) => {
    tx.setState({ by });
    return ok(undefined);
  };
}
