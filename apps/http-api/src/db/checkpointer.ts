import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** Checkpoints the WAL of a database file on a timer, off the event loop. */
export interface Checkpointer {
  /** Stops the timer and waits for the worker to close its connection and exit. */
  stop(): Promise<void>;
}

// The worker runs as source text so that it loads the same way from src (under vitest) and
// from dist. It has its own connection to the file; PASSIVE never waits for or blocks a writer.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    db.pragma('wal_checkpoint(PASSIVE)');
    return;
  }
  db.close();
  parentPort.close();
});
`;

/**
 * Turns SQLite's automatic checkpoint off and checkpoints once a second in a worker thread.
 * The worker starts on the first tick, so a command that opens the database briefly never
 * pays for it.
 */
export function checkpointEverySecond(sqlite: BetterSqlite3.Database): Checkpointer {
  if (sqlite.memory) return { stop: async () => {} };
  sqlite.pragma('wal_autocheckpoint = 0');
  let worker: { thread: Worker; exited: Promise<unknown> } | undefined;
  const timer = setInterval(() => {
    worker ??= startWorker(sqlite.name, () => {
      worker = undefined;
    });
    worker.thread.postMessage('checkpoint');
  }, 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      if (worker === undefined) return;
      // Unref'd, the worker would let the process end before it has closed its connection.
      worker.thread.ref();
      worker.thread.postMessage('stop');
      await worker.exited;
    },
  };
}

// A worker that fails (the file went away, say) is dropped; the next tick starts another.
function startWorker(file: string, onFailure: () => void) {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
  thread.unref();
  thread.on('error', onFailure);
  return { thread, exited: new Promise((resolve) => thread.once('exit', resolve)) };
}
