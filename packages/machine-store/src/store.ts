import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail, ok, type Result, SlmError } from '@slm/core/status';
import Database from 'better-sqlite3';
import { permissionError, sqliteCode, storeError, unreadableError } from './errors.js';
import { ensureHome, ensurePrivateFolder, type StorePaths, storePaths } from './files.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { type LicenceFile, Repository } from './repository.js';
import { StoreTransaction, type StoreView } from './transaction.js';

/** How to open a machine store. */
export interface OpenOptions {
  /** The store's home folder (`SLM_HOME`). */
  readonly home: string;
  /** The licence folder; defaults to `licences/` inside the home. */
  readonly licenceDir?: string | undefined;
  /**
   * `write` refuses a caller who cannot write the store and creates a store in a new home;
   * `read` opens read-only for them and never creates a store.
   */
  readonly access: 'read' | 'write';
  /**
   * Create the store even though remnants of an earlier one lie in the home (the state backup,
   * the private folder): what rebuilding does once it has salvaged them.
   */
  readonly rebuild?: boolean | undefined;
  /** Run SQLite's quick_check on open and report damage as store.corrupt. */
  readonly check?: boolean | undefined;
  /** The store id to give a store created now (recovery keeps the machine's identity). */
  readonly storeId?: string | undefined;
  readonly now: number;
  /** How long to wait for another process's transaction; 20 writers queue well inside it. */
  readonly busyTimeoutMs?: number | undefined;
}

/** The machine licence store: one per machine, shared by every process on it. */
export interface MachineStore {
  readonly paths: StorePaths;
  /** Whether this process may change the store (it is the administrator). */
  readonly writable: boolean;
  /** A random id made when the store was created: part of the machine's identity. */
  readonly storeId: string;
  /** Reads a consistent snapshot. */
  read<T>(view: (store: StoreView) => T): Result<T>;
  /**
   * Reads, changes and writes in one `BEGIN IMMEDIATE` transaction, so concurrent processes
   * queue instead of losing updates; a failed result rolls everything back.
   */
  update<T>(change: (tx: StoreTransaction) => Result<T>): Result<T>;
  close(): void;
}

/** Opens (and creates or migrates, when allowed) the store in a home folder. */
export function openMachineStore(options: OpenOptions): Result<MachineStore> {
  const paths = storePaths(options.home, options.licenceDir);
  const found = databaseExists(paths);
  if (!found.ok) return found;
  if (!found.value) {
    const missing = missingStore(paths, options);
    if (missing !== null) return missing;
  }
  const writable = canWrite(paths);
  if (options.access === 'write' && !writable) {
    return { ok: false, error: permissionError(paths.home) };
  }
  try {
    const db = connect(paths, writable, options);
    if (options.check === true) quickCheck(db, paths);
    const storeId = new Repository(db).meta('store_id') ?? '';
    return ok(new SqliteMachineStore(db, paths, writable, storeId, options.now));
  } catch (error) {
    return { ok: false, error: storeError(error, paths.database) };
  }
}

/** Whoever can write the store's home (or create it) is its administrator. */
export function canWrite(paths: StorePaths): boolean {
  let folder = paths.home;
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  const writableFile = (path: string) => !existsSync(path) || isWritable(path);
  return isWritable(folder) && writableFile(paths.database);
}

const ROLLBACK = Symbol('rollback');
const NO_WAL_INDEX = /^SQLITE_(READONLY_DIRECTORY|CANTOPEN)/;

class SqliteMachineStore implements MachineStore {
  private readonly repository: Repository;

  constructor(
    private readonly db: Database.Database,
    readonly paths: StorePaths,
    readonly writable: boolean,
    readonly storeId: string,
    private readonly now: number,
  ) {
    this.repository = new Repository(db);
  }

  read<T>(view: (store: StoreView) => T): Result<T> {
    const transaction = new StoreTransaction(this.repository, this.paths, this.storeId, this.now);
    return this.guard(() => ok(this.db.transaction(() => view(transaction)).deferred()));
  }

  update<T>(change: (tx: StoreTransaction) => Result<T>): Result<T> {
    if (!this.writable) return { ok: false, error: permissionError(this.paths.home) };
    let outcome: Result<T> = fail('internal.unexpected', 'a store transaction produced no result');
    const run = this.db.transaction(() => {
      const transaction = new StoreTransaction(this.repository, this.paths, this.storeId, this.now);
      outcome = change(transaction);
      // Throwing is how better-sqlite3 rolls a transaction back.
      if (!outcome.ok) throw ROLLBACK;
      transaction.flush();
    });
    try {
      run.immediate();
      return outcome;
    } catch (error) {
      if (error === ROLLBACK) return outcome;
      return { ok: false, error: storeError(error, this.paths.database) };
    }
  }

  close(): void {
    this.db.close();
  }

  private guard<T>(action: () => Result<T>): Result<T> {
    try {
      return action();
    } catch (error) {
      return { ok: false, error: storeError(error, this.paths.database) };
    }
  }
}

function connect(paths: StorePaths, writable: boolean, options: OpenOptions): Database.Database {
  const timeout = options.busyTimeoutMs ?? 30_000;
  if (!writable) return connectReadOnly(paths, timeout);
  ensureHome(paths);
  const db = new Database(paths.database, { timeout });
  // Only after the database exists, so a private folder without it means a lost store.
  ensurePrivateFolder(paths);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrate(db, options);
  return db;
}

/**
 * A reader who cannot write the folder cannot create the WAL index, so SQLite refuses to open a
 * WAL database whose writers have all closed. Then the main file holds every committed change,
 * and a private in-memory copy of it (marked as a rollback-journal database) reads the same.
 */
function connectReadOnly(paths: StorePaths, timeout: number): Database.Database {
  const db = new Database(paths.database, { readonly: true, fileMustExist: true, timeout });
  try {
    db.pragma('user_version');
    return db;
  } catch (error) {
    db.close();
    if (existsSync(`${paths.database}-wal`) || !NO_WAL_INDEX.test(sqliteCode(error) ?? '')) {
      throw error;
    }
  }
  const copy = readFileSync(paths.database);
  copy[18] = 1;
  copy[19] = 1;
  return new Database(copy, { readonly: true });
}

function migrate(db: Database.Database, options: OpenOptions): void {
  if (userVersion(db) === SCHEMA_VERSION) return;
  db.transaction(() => {
    const from = userVersion(db);
    if (from > SCHEMA_VERSION) throw tooNew(from);
    for (const migration of MIGRATIONS.filter((m) => m.version > from)) {
      for (const statement of migration.statements) db.exec(statement);
    }
    const repository = new Repository(db);
    if (repository.meta('store_id') === null) {
      repository.setMeta('store_id', options.storeId ?? randomUUID());
      repository.setMeta('created_at', String(options.now));
    }
    repository.setMeta('schema_version', String(SCHEMA_VERSION));
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function quickCheck(db: Database.Database, paths: StorePaths): void {
  const verdict = db.pragma('quick_check', { simple: true });
  if (verdict === 'ok') return;
  throw Object.assign(new Error(String(verdict)), { code: 'SQLITE_CORRUPT', path: paths.database });
}

function tooNew(version: number): SlmError {
  return new SlmError(
    'internal.unexpected',
    `the licence store has schema version ${version}, newer than this slmgr understands (${SCHEMA_VERSION}): use a newer slmgr`,
    { version },
  );
}

/**
 * Whether the database exists; store.permission when this user may not even look (a home of
 * mode 0700 owned by someone else), which is not the same as a machine without a store.
 */
export function databaseExists(paths: StorePaths): Result<boolean> {
  try {
    statSync(paths.database);
    return ok(true);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM')
      return { ok: false, error: unreadableError(paths.home) };
    return ok(false);
  }
}

/**
 * Why a home without a database cannot be opened, or null when a store may be created in it:
 * only a change creates one, and never over the remnants of a lost store, whose identity
 * (store id) and state only recovery can carry over.
 */
export function missingStore(paths: StorePaths, options: OpenOptions): Result<never> | null {
  const remnants = storeRemnants(paths);
  if (remnants.length > 0 && options.rebuild !== true) return lostStore(paths, remnants);
  if (options.access === 'write') return null;
  return fail(
    'store.not_initialised',
    `no licence store at ${paths.home}; install a catalog with slmgr /ilc FILE to create one`,
    { path: paths.home },
  );
}

/** What is left of a store whose database is gone. */
function storeRemnants(paths: StorePaths): string[] {
  const left = [paths.backup, paths.privateDir, `${paths.database}-wal`];
  return left.filter((path) => existsSync(path));
}

function lostStore(paths: StorePaths, remnants: readonly string[]): Result<never> {
  return fail(
    'store.corrupt',
    `the licence store ${paths.database} is missing, but ${remnants.join(' and ')} remain: run slmgr /rilc as administrator to rebuild it from the recovery copy ${paths.backup} and the licence folder ${paths.licenceDir} (a fresh store would be a new machine identity)`,
    { path: paths.database, cause: 'missing' },
  );
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export type { LicenceFile };
