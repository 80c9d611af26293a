import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openMachineStore } from '../src/index.js';
import { finished, runWorker, tempHome, WORKER } from './helpers.js';

function counterOf(home: string): number {
  const opened = openMachineStore({ home, access: 'write', check: true, now: 0 });
  if (!opened.ok) throw opened.error;
  const read = opened.value.read((view) => view.state() as { counter: number });
  opened.value.close();
  if (!read.ok) throw read.error;
  return read.value.counter;
}

describe('twenty processes changing one store', () => {
  it('when they all write at once then no update is lost and none sees "database is locked"', async () => {
    const home = tempHome();
    const runs = await Promise.all(Array.from({ length: 20 }, () => runWorker(home, 10)));
    expect(runs.map((run) => run.stderr).join('')).toBe('');
    expect(runs.every((run) => run.code === 0)).toBe(true);
    expect(counterOf(home)).toBe(200);
  });
});

describe('a writer killed with SIGKILL', () => {
  it.each([20, 60, 140])(
    'when killed %i ms into its writes then the store opens and checks clean',
    async (delay) => {
      const home = tempHome();
      const children = Array.from({ length: 3 }, () =>
        spawn(process.execPath, [WORKER, home, '100000'], { stdio: ['ignore', 'pipe', 'pipe'] }),
      );
      const exits = children.map((child) => finished(child));
      await Promise.all(children.map((child) => once(child.stdout, 'data')));
      await new Promise((resolve) => setTimeout(resolve, delay));
      for (const child of children) child.kill('SIGKILL');
      const codes = await Promise.all(exits);
      expect(codes.map((exit) => exit.code)).toEqual([-1, -1, -1]);

      const before = counterOf(home);
      expect(before).toBeGreaterThan(0);
      expect(await runWorker(home, 3)).toEqual({ code: 0, stderr: '' });
      expect(counterOf(home)).toBe(before + 3);
    },
  );
});
