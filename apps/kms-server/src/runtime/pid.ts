import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostFolder } from './status.js';

function pidPath(home: string): string {
  return join(hostFolder(home), 'slm-kms.pid');
}

/** Records this process as the running host of a store home. */
export function writePid(home: string): void {
  writeFileSync(pidPath(home), `${process.pid}\n`);
}

/** Forgets the running host (on a clean stop). */
export function removePid(home: string): void {
  rmSync(pidPath(home), { force: true });
}

/** Sends a signal to the running host of a store home; false when none is running. */
export function signalHost(home: string, signal: NodeJS.Signals): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidPath(home), 'utf8'), 10);
  } catch {
    return false;
  }
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
