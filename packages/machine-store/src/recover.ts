import { existsSync, readFileSync, renameSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { StorePaths } from './files.js';
import { type LicenceFile, Repository } from './repository.js';

/** What could be read back from a damaged store before it was set aside. */
export interface Salvage {
  /**
   * Where the damaged database now lies, for the administrator to inspect or delete; null when
   * there was no database file to move (it was lost, and only its remnants were left).
   */
  readonly damagedPath: string | null;
  readonly storeId: string | null;
  /** The last machine state that could be read (from the database or its backup), if any. */
  readonly state: unknown | null;
  /** Licence files that could be read from the damaged database. */
  readonly licenceFiles: readonly LicenceFile[];
}

/**
 * Moves a damaged store database aside and returns whatever can still be read from it, falling
 * back to the state backup written beside it on every change.
 */
export function setAsideDamagedStore(paths: StorePaths, now: number): Salvage {
  const fromDatabase = readDamaged(paths.database);
  const fromBackup = readBackup(paths.backup);
  const aside = `${paths.database}.damaged-${now}`;
  const moved = ['', '-wal', '-shm'].filter((suffix) => existsSync(paths.database + suffix));
  for (const suffix of moved) renameSync(paths.database + suffix, aside + suffix);
  return {
    damagedPath: moved.length > 0 ? aside : null,
    storeId: fromDatabase.storeId ?? fromBackup.storeId,
    state: fromDatabase.state ?? fromBackup.state,
    licenceFiles: fromDatabase.licenceFiles,
  };
}

interface Readable {
  storeId: string | null;
  state: unknown | null;
  licenceFiles: LicenceFile[];
}

function readDamaged(path: string): Readable {
  const salvage: Readable = { storeId: null, state: null, licenceFiles: [] };
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const repository = new Repository(db);
    salvage.storeId = attempt(() => repository.meta('store_id'));
    salvage.state = attempt(() => repository.state()?.state ?? null);
    salvage.licenceFiles = attempt(() => repository.licenceFiles()) ?? [];
  } catch {
    // Nothing readable: the backup is all there is.
  } finally {
    db?.close();
  }
  return salvage;
}

function readBackup(path: string): { storeId: string | null; state: unknown | null } {
  const backup = attempt(() => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
  const storeId = typeof backup?.storeId === 'string' ? backup.storeId : null;
  return { storeId, state: backup?.state ?? null };
}

function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
