import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints one SQLite database in WAL mode on a background thread. A checkpoint copies the
 * write-ahead log into the database file and waits for the disk; on the thread that answers
 * requests, that wait held up every request behind it.
 *
 * SQLite starts the log afresh only when a write begins while every frame is already copied, and
 * under steady writes a background checkpoint never catches up with the writer at that moment:
 * so once the log has grown past {@link RESTART_FRAMES}, the writer copies the few frames the
 * thread has not yet reached itself, between two of its transactions, and the log restarts.
 */
export interface Checkpointer {
  /** Whether the writer should now finish a checkpoint itself, so that the log can restart. */
  restartDue(): boolean;
  /** The writer finished one; the log restarts with its next transaction. */
  restarted(): void;
  /** Ends the thread; a checkpoint under way finishes or is left for the next open. */
  stop(): void;
}

/** Frames (pages) in the log after which the writer completes a checkpoint itself: 32 MiB. */
export const RESTART_FRAMES = 8192;

// The thread opens its own connection: SQLite lets a PASSIVE checkpoint run beside a writer on
// another connection, and nothing of the writer's has to cross threads. Plain JavaScript run
// with `eval`, so that it works the same from the built files and from the sources under test.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('synchronous = NORMAL');
let failures = 0;
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    failures = 0;
    parentPort.postMessage({ log: result.log });
  } catch (error) {
    // Three failures in a row and the writer takes its checkpoints back.
    if (++failures < 3) return;
    clearInterval(timer);
    parentPort.postMessage({ failed: String((error && error.message) || error) });
    db.close();
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  if (db.open) db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints `path` every `everyMs` on a thread of its own; `onFailure` is told, once, when the
 * thread stops checkpointing for any reason other than {@link Checkpointer.stop}.
 */
export function startCheckpointer(
  path: string,
  everyMs: number,
  onFailure: (message: string) => void,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { driver, path, everyMs } });
  worker.unref();
  let stopped = false;
  let told = false;
  let logFrames = 0;
  const fail = (message: string) => {
    if (stopped || told) return;
    told = true;
    onFailure(message);
  };
  worker.on('message', (message: { log?: number; failed?: string }) => {
    if (message.failed !== undefined) fail(message.failed);
    else logFrames = message.log ?? 0;
  });
  worker.on('error', (error) => fail(error.message));
  worker.on('exit', (code) => fail(`the checkpoint thread exited (code ${code})`));
  return {
    restartDue: () => logFrames >= RESTART_FRAMES,
    restarted: () => {
      logFrames = 0;
    },
    stop: () => {
      stopped = true;
      worker.postMessage('stop');
    },
  };
}
