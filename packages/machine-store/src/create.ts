import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Result } from '@slm/core/status';
import { permissionError, storeError } from './errors.js';
import { type StorePaths, storePaths } from './files.js';
import {
  canWrite,
  type MachineStore,
  missingStore,
  type OpenOptions,
  openMachineStore,
} from './store.js';

/** A change made with the store; a failed result leaves a home that had no store without one. */
export type StoreChange<T> = (store: MachineStore) => Result<T>;

/**
 * Runs a change on the store in `options.home`. Where there is none yet, the store is made in a
 * hidden staging folder inside the home and takes its place only when the change succeeds, so a
 * failed change leaves no store behind. Linking its database into place is the commit point: a
 * kill before it leaves only the staging folder, which no command reads; a kill after it leaves a
 * working store (its state backup and private folder are written again by the next change).
 */
export function changeMachineStore<T>(options: OpenOptions, change: StoreChange<T>): Result<T> {
  const paths = storePaths(options.home, options.licenceDir);
  sweepAbandonedStaging(paths.home);
  if (existsSync(paths.database)) return changeOpened(options, change);
  let created: Result<T> | 'exists';
  try {
    created = createWith(paths, options, change);
  } catch (error) {
    return { ok: false, error: storeError(error, paths.home) };
  }
  // Another process created the store meanwhile: make the change in that store instead.
  return created === 'exists' ? changeOpened(options, change) : created;
}

function changeOpened<T>(options: OpenOptions, change: StoreChange<T>): Result<T> {
  const opened = openMachineStore({ ...options, access: 'write' });
  if (!opened.ok) return opened;
  try {
    return change(opened.value);
  } finally {
    opened.value.close();
  }
}

function createWith<T>(
  paths: StorePaths,
  options: OpenOptions,
  change: StoreChange<T>,
): Result<T> | 'exists' {
  const missing = missingStore(paths, { ...options, access: 'write' });
  if (missing !== null) return missing;
  if (!canWrite(paths)) return { ok: false, error: permissionError(paths.home) };
  const made = mkdirSync(paths.home, { recursive: true, mode: 0o755 });
  try {
    const staging = mkdtempSync(join(paths.home, STAGING_PREFIX));
    try {
      const result = changeOpened(
        { ...options, home: staging, licenceDir: paths.licenceDir },
        change,
      );
      if (!result.ok) return result;
      return publish(staging, paths) ? result : 'exists';
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } finally {
    if (made !== undefined && !existsSync(paths.database)) removeMadeFolders(paths.home, made);
  }
}

/** Moves a staged store into its home; false when a store appeared there meanwhile. */
function publish(staging: string, paths: StorePaths): boolean {
  const staged = storePaths(staging);
  // Closing the last connection checkpoints the WAL; without that the database alone is stale.
  if (existsSync(`${staged.database}-wal`)) throw new Error(`${staged.database}-wal remains`);
  try {
    // A link, unlike a rename, never replaces a store that another process has just made.
    linkSync(staged.database, paths.database);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    if (existsSync(staged.privateDir)) renameSync(staged.privateDir, paths.privateDir);
    if (existsSync(staged.backup)) renameSync(staged.backup, paths.backup);
  } catch {
    // The change is committed and the store works; the next change writes its backup again.
  }
  return true;
}

const STAGING_PREFIX = '.store-new-';
// A staging folder lives as long as one command; one this old was left by a command that was
// killed, and may hold a copy of a product key: it goes.
const ABANDONED_AFTER_MS = 60_000;

function sweepAbandonedStaging(home: string): void {
  let names: string[];
  try {
    names = readdirSync(home).filter((name) => name.startsWith(STAGING_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const folder = join(home, name);
    try {
      if (Date.now() - statSync(folder).mtimeMs > ABANDONED_AFTER_MS) {
        rmSync(folder, { recursive: true, force: true });
      }
    } catch {
      // Gone already, or not ours to remove: nothing reads it either way.
    }
  }
}

/** Removes the folders made for the home (from the home up to `top`), each only while empty. */
function removeMadeFolders(home: string, top: string): void {
  for (let folder = resolve(home); ; folder = dirname(folder)) {
    try {
      rmdirSync(folder);
    } catch {
      return;
    }
    if (folder === resolve(top) || dirname(folder) === folder) return;
  }
}
