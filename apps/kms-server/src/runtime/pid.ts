import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KmsError } from '../errors.js';
import { hostFolder } from './status.js';

function pidPath(home: string): string {
  return join(hostFolder(home), 'slm-kms.pid');
}

/**
 * Records this process as the running host of a store home, refusing when another host runs on
 * it: two hosts would share one count and one status, and either one's stop would forget the
 * other. A pid file left by a host that was killed is taken over.
 */
export function claimHome(home: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(pidPath(home), `${process.pid}\n${realpathSync(home)}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const other = recordedPid(home);
    // A pid file copied with its home names the home it was written in: not this one.
    const copied = recordedHome(home) !== realpathSync(home);
    if (other !== null && other !== process.pid && !copied && isHost(other)) {
      throw new KmsError(
        'home.in_use',
        `another slm-kms (pid ${other}) is running on ${home}; stop it first, or give this one a home of its own`,
      );
    }
    rmSync(pidPath(home), { force: true });
  }
  throw new KmsError('home.in_use', `could not claim ${pidPath(home)}; is another host starting?`);
}

/** Forgets the running host (on a clean stop), unless the pid file is another process's. */
export function releaseHome(home: string): void {
  if (recordedPid(home) === process.pid) rmSync(pidPath(home), { force: true });
}

/** Sends a signal to the running host of a store home; false when none is running. */
export function signalHost(home: string, signal: NodeJS.Signals): boolean {
  const pid = recordedPid(home);
  if (pid === null || recordedHome(home) !== realpathSync(home) || !isHost(pid)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

function recordedPid(home: string): number | null {
  const pid = Number.parseInt(pidFileLines(home)[0] ?? '', 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** The home the pid file was written in; files of older hosts name none (taken as this one). */
function recordedHome(home: string): string {
  return pidFileLines(home)[1] || realpathSync(home);
}

function pidFileLines(home: string): string[] {
  try {
    return readFileSync(pidPath(home), 'utf8').split('\n');
  } catch {
    return [];
  }
}

/**
 * Whether a process with this pid is alive and, where /proc tells, an slm-kms: after a reboot or
 * a kill the pid may have gone to an unrelated process, which must not count, nor get a signal.
 */
function isHost(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('slm-kms');
  } catch {
    return true;
  }
}
