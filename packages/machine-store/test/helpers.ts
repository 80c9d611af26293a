import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A fresh folder for a store home, readable by other users, removed after the test. */
export function tempHome(): string {
  const parent = mkdtempSync(join(tmpdir(), 'slm-store-'));
  chmodSync(parent, 0o755);
  homes.push(parent);
  return join(parent, 'home');
}

export const WORKER = new URL('./fixtures/worker.mjs', import.meta.url).pathname;

/** Runs a worker process to completion; resolves with its exit code and stderr. */
export function runWorker(
  home: string,
  increments: number,
): Promise<{ code: number; stderr: string }> {
  const child = spawn(process.execPath, [WORKER, home, String(increments)]);
  return finished(child);
}

/** Resolves when a child process exits, with its exit code (or -1 for a signal) and stderr. */
export function finished(child: ChildProcess): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}
