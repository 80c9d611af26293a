import { keepWal, type WalKeeper } from '@slm/sqlite-wal';
import BetterSqlite3 from 'better-sqlite3';
import {
  type Compilable,
  Kysely,
  Migrator,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
} from 'kysely';
import { type CompiledTemplate, compileTemplate, type QueryTemplate } from './compiled.js';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

/** How often the write-ahead log is checkpointed, on a thread of its own. */
const CHECKPOINT_EVERY_MS = 250;

/**
 * The vendor database. Queries are built with kysely. Reads and single-statement writes run
 * through kysely's driver; multi-statement write transactions run synchronously (`immediate`),
 * so a transaction never spans an await and nothing can interleave with it.
 */
export interface VendorDb {
  readonly db: Kysely<Database>;
  /** Runs `work` in BEGIN IMMEDIATE … COMMIT, rolling back if it throws. */
  immediate<T>(work: () => T): T;
  /**
   * Runs `work` in a write transaction shared with the other work queued in this turn of the
   * event loop (group commit): they run one after the other and commit together, and settle
   * only after the commit. A throw rolls back only its own work.
   */
  grouped<T>(work: () => T): Promise<T>;
  /** Runs a built query now and returns its rows. */
  rows<R>(query: Compilable<R>): R[];
  /** Runs a built statement now and returns the rows it changed. */
  run(query: Compilable<unknown>): number;
  /** Runs a template's query (compiled on first use) with these values and returns its rows. */
  rowsOf<P, R>(template: QueryTemplate<P, R>, params: P): R[];
  /** Runs a template's statement (compiled on first use) and returns the rows it changed. */
  runOf<P>(template: QueryTemplate<P, unknown>, params: P): number;
  close(): Promise<void>;
}

/** How to open the vendor database. */
export interface OpenOptions {
  /** Only `slm-api init` creates the database; every other command needs it to exist. */
  readonly create?: boolean;
}

/**
 * Opens the embedded SQLite vendor database (creating it only when asked) and brings it to the
 * latest schema. A file that is missing or not a database is an error naming the file.
 */
export async function openVendorDb(file: string, options: OpenOptions = {}): Promise<VendorDb> {
  const sqlite = openSqlite(file, options.create === true);
  // SQLite checkpoints the WAL from inside whichever commit crosses its threshold, which puts a
  // copy-and-sync of ~1000 pages into one unlucky request; on this thread, a checkpoint stalls
  // every open request for 10-50 ms under load. It runs on a timer in a worker instead.
  const wal = keepWal(sqlite, { everyMs: CHECKPOINT_EVERY_MS });
  const statements = cachingStatements(sqlite);
  const group = groupCommit(sqlite, wal);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: statements.database }),
  });
  await migrate(db);
  const templates = compiledTemplates(db);
  const statementOf = <P>(template: QueryTemplate<P, unknown>, params: P) => {
    const compiled = templates(template);
    return { statement: statements.prepare(compiled.sql), values: compiled.values(params) };
  };
  return {
    db,
    immediate: (work) => {
      const result = sqlite.transaction(work).immediate();
      wal.afterCommit();
      return result;
    },
    grouped: group.run,
    rows: (query) => {
      const compiled = query.compile();
      return statements.prepare(compiled.sql).all(...compiled.parameters) as never;
    },
    run: (query) => {
      const compiled = query.compile();
      return statements.prepare(compiled.sql).run(...compiled.parameters).changes;
    },
    rowsOf: (template, params) => {
      const { statement, values } = statementOf(template, params);
      return statement.all(...values) as never;
    },
    runOf: (template, params) => {
      const { statement, values } = statementOf(template, params);
      return statement.run(...values).changes;
    },
    close: async () => {
      group.drain();
      await wal.stop();
      await db.destroy();
    },
  };
}

function openSqlite(file: string, create: boolean): BetterSqlite3.Database {
  let sqlite: BetterSqlite3.Database | null = null;
  try {
    sqlite = new BetterSqlite3(file, { fileMustExist: !create });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Activations are indexed by machine, which is random: with SQLite's default 2 MiB page
    // cache an insert into a table of 100,000 activations reads index pages back from the file,
    // and the activation rate fell by a quarter as the table grew. 16 MiB keeps them in memory.
    sqlite.pragma('cache_size = -16384');
    return sqlite;
  } catch (error) {
    sqlite?.close();
    throw new Error(`${file}: ${databaseProblem(error, create)}`);
  }
}

function databaseProblem(error: unknown, create: boolean): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return `not a vendor database (${message}); restore it from a backup`;
  }
  if (code === 'SQLITE_CANTOPEN' && !create) return 'missing or unreadable';
  return message;
}

interface Queued {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

function groupCommit(sqlite: BetterSqlite3.Database, wal: WalKeeper) {
  let queue: Queued[] = [];
  // better-sqlite3 builds a transaction function with four wrappers on every `transaction()`;
  // the two shapes used here are built once.
  const batch = sqlite.transaction((queued: readonly Queued[]) => queued.map((q) => q.work()));
  const alone = sqlite.transaction((work: () => unknown) => work());
  // The common case runs every queued work in one transaction with no savepoints. If one
  // throws, SQLite rolls the whole batch back and each work runs again in its own transaction,
  // so a failure undoes only its own work. Promises settle only after COMMIT returns: nobody
  // hears of a claim that a failed commit took back.
  const flush = () => {
    const queued = queue;
    queue = [];
    if (queued.length === 0 || !sqlite.open) return;
    let results: unknown[] | null = null;
    try {
      results = batch.immediate(queued);
    } catch {
      results = null;
    }
    if (results !== null) {
      for (const [index, q] of queued.entries()) q.resolve(results[index]);
    } else {
      for (const q of queued) {
        try {
          q.resolve(alone.immediate(q.work));
        } catch (error) {
          q.reject(error);
        }
      }
    }
    wal.afterCommit();
  };
  const run = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!sqlite.open) throw new Error('the vendor database is closed');
      if (queue.length === 0) setImmediate(flush);
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  // Closing commits what is queued first, so no claim that was accepted is lost.
  return { run, drain: flush };
}

// Building and compiling a query with kysely costs more than running it on SQLite; the few
// queries of every activation are compiled once per database and kept by their template.
function compiledTemplates(db: Kysely<Database>) {
  const compiled = new Map<QueryTemplate<never, unknown>, CompiledTemplate<never>>();
  return <P>(template: QueryTemplate<P, unknown>): CompiledTemplate<P> => {
    let entry = compiled.get(template as QueryTemplate<never, unknown>);
    if (entry === undefined) {
      entry = compileTemplate(db, template) as CompiledTemplate<never>;
      compiled.set(template as QueryTemplate<never, unknown>, entry);
    }
    return entry as CompiledTemplate<P>;
  };
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

// Kysely prepares every query afresh; the same few statements run on every activation, so
// keeping them prepared saves a parse per query. Statements run one at a time on this single
// connection, so sharing them is safe.
function cachingStatements(sqlite: BetterSqlite3.Database) {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const prepare = (text: string) => {
    let statement = prepared.get(text);
    if (statement === undefined) {
      statement = sqlite.prepare(text);
      if (prepared.size < 500) prepared.set(text, statement);
    }
    return statement;
  };
  const database: SqliteDatabase = {
    close: () => sqlite.close(),
    prepare: (text: string) => prepare(text) as unknown as SqliteStatement,
  };
  return { prepare, database };
}
