import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Keeps the write-ahead log of one SQLite database (WAL mode) checkpointed by a background
 * thread, and bounded.
 *
 * A checkpoint copies the log into the database file and waits for the disk. SQLite runs one
 * inside whichever commit crosses its threshold, which on an event loop holds up every request
 * behind it. Here a worker thread with a connection of its own runs PASSIVE checkpoints on a
 * timer instead; they never wait for or block the writer.
 *
 * That alone lets the log grow without end under steady writes: SQLite starts the log afresh
 * only when a write begins while every frame is already copied, and a background checkpoint
 * never catches up with a busy writer at that moment (a vendor service grew a 1.4 GB log in
 * 20 s of load). So once the log passes `restartFrames`, the writer's own thread finishes a
 * checkpoint between two of its transactions (copying only what the thread has not reached),
 * and the next transaction starts the log afresh.
 */
export interface WalKeeper {
  /**
   * Call after the writer commits: finishes a checkpoint when the log is due a restart. Does
   * nothing while a transaction is open on the writer's connection.
   */
  afterCommit(): void;
  /** Stops the thread and waits for it to close its connection. */
  stop(): Promise<void>;
}

/** How a {@link WalKeeper} runs. */
export interface WalKeeperOptions {
  /** How often the thread checkpoints. */
  readonly everyMs: number;
  /** Log size, in frames (pages), after which the writer finishes a checkpoint itself. */
  readonly restartFrames?: number | undefined;
  /**
   * Told once if the thread fails; the connection then goes back to SQLite's own checkpoints
   * on commit, so the log stays bounded either way.
   */
  readonly onFailure?: ((message: string) => void) | undefined;
}

/** 32 MiB of 4 KiB pages. */
export const DEFAULT_RESTART_FRAMES = 8192;

// SQLite's default: checkpoint on commit once the log holds this many pages.
const SQLITE_AUTOCHECKPOINT = 1000;

// Plain JavaScript run with `eval`, so that it loads the same way from the built files and from
// the sources under test. It reports the log's size after each checkpoint.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
let failures = 0;
let version = null;
const timer = setInterval(() => {
  try {
    // Nothing committed since the last checkpoint: a quiet database costs nothing.
    const now = db.pragma('data_version', { simple: true });
    if (now === version) return;
    version = now;
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    failures = 0;
    parentPort.postMessage({ log: result.log });
  } catch (error) {
    // Three failures in a row and the writer takes its checkpoints back.
    if (++failures < 3) return;
    clearInterval(timer);
    parentPort.postMessage({ failed: String((error && error.message) || error) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Starts keeping the log of `db`, a file database in WAL mode. The thread starts after the first
 * `everyMs`, so a command that opens the database briefly never pays for it; an in-memory
 * database gets a keeper that does nothing.
 */
export function keepWal(db: BetterSqlite3.Database, options: WalKeeperOptions): WalKeeper {
  if (db.memory) return { afterCommit: () => {}, stop: async () => {} };
  const restartFrames = options.restartFrames ?? DEFAULT_RESTART_FRAMES;
  db.pragma('wal_autocheckpoint = 0');
  let thread: { worker: Worker; exited: Promise<void> } | null = null;
  let logFrames = 0;
  let stopped = false;
  let failed = false;
  const finish = () => {
    if (failed || logFrames < restartFrames || !db.open || db.inTransaction) return;
    let result: { busy: number } | undefined;
    try {
      [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number }[];
    } catch {
      // The file cannot be written just now (a full disk, say): the next commit tries again,
      // and the writer's own statements will say what is wrong.
      return;
    }
    // Busy: the thread is checkpointing this very moment; the next commit tries again.
    if (result?.busy === 0) logFrames = 0;
  };
  const fail = (message: string) => {
    if (stopped || failed) return;
    failed = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`);
    options.onFailure?.(message);
  };
  const start = () => {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(SOURCE, {
      eval: true,
      workerData: { driver, file: db.name, everyMs: options.everyMs },
    });
    worker.unref();
    worker.on('message', (message: { log?: number; failed?: string }) => {
      if (message.failed !== undefined) return fail(message.failed);
      logFrames = message.log ?? 0;
      // Between two transactions already (a quiet writer): finish now, not at the next commit.
      finish();
    });
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`the checkpoint thread exited (code ${code})`));
    thread = { worker, exited: new Promise((resolve) => worker.once('exit', () => resolve())) };
  };
  const starting = setTimeout(start, options.everyMs);
  starting.unref();
  return {
    afterCommit: finish,
    stop: async () => {
      stopped = true;
      clearTimeout(starting);
      const running: { worker: Worker; exited: Promise<void> } | null = thread;
      if (running === null) return;
      // Unref'd, the thread would let the process end before it has closed its connection.
      running.worker.ref();
      running.worker.postMessage('stop');
      await running.exited;
    },
  };
}
