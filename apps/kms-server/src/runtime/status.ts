import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostSettings } from '@slm/core';
import type { Counters } from '../counting/store.js';
import { KmsError } from '../errors.js';

/** Where the host keeps its own files inside the machine store home. */
export function hostFolder(home: string): string {
  return join(home, 'volume-host');
}

/**
 * Runs `work` on the host folder (made first if missing), turning what the file system refuses
 * into an error that names the folder and what to do about it.
 */
export function inHostFolder<T>(home: string, work: () => T): T {
  const folder = hostFolder(home);
  try {
    mkdirSync(folder, { recursive: true });
    return work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new KmsError(
        'home.unwritable',
        `${folder} cannot be written by this user (${code}): run slm-kms as the user who owns ` +
          `${home}, or let that user write to the folder`,
      );
    }
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new KmsError(
        'home.unwritable',
        `${folder} is not a folder (${code}): move that file aside; the host makes the folder`,
      );
    }
    throw error;
  }
}

/** How the last DNS publishing attempt went. */
export interface PublishStatus {
  readonly at: number;
  readonly ok: boolean;
  readonly message: string;
}

/**
 * What `slmgr /dlv` shows in the volume host block, written by the running host to
 * `<home>/volume-host/status.json` (readable by everyone, no secrets in it).
 */
export interface HostStatus {
  readonly pid: number;
  readonly running: boolean;
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly port: number;
  readonly addresses: readonly string[];
  readonly settings: HostSettings;
  readonly maintenance: boolean;
  readonly extendedProductId: string;
  /** Current count per product family (catalog product ID). */
  readonly counts: Readonly<Record<string, number>>;
  /** Cumulative: `requests`, `outcome.<outcome>`, `refused.<reason>`, `licence_state.<0-6>`, `duplicates`. */
  readonly counters: Counters;
  readonly dns: PublishStatus | null;
}

/** The path of the status file. */
export function statusPath(home: string): string {
  return join(hostFolder(home), 'status.json');
}

/** Replaces the status file so a reader never sees half of it. */
export function writeStatus(home: string, status: HostStatus): void {
  mkdirSync(hostFolder(home), { recursive: true });
  const path = statusPath(home);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(status, null, 2)}\n`, { mode: 0o644 });
  renameSync(temporary, path);
}
