import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { keepWal } from '../src/index.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function open(): { db: Database.Database; file: string } {
  const folder = mkdtempSync(join(tmpdir(), 'slm-wal-'));
  folders.push(folder);
  const file = join(folder, 'data.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE rows (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID');
  return { db, file };
}

/** A writer that never stops: random keys, 20 rows a commit, a commit every millisecond or so. */
async function writeSteadily(db: Database.Database, rows: number, afterCommit: () => void) {
  const insert = db.prepare('INSERT INTO rows (id, at) VALUES (?, ?)');
  for (let i = 0; i < rows; i += 20) {
    db.transaction(() => {
      for (let j = 0; j < 20; j++) insert.run(randomUUID(), Date.now());
    })();
    afterCommit();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const walBytes = (file: string) => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

describe('keeping a write-ahead log', () => {
  it('when writes never stop then the log still starts afresh, where background checkpoints alone let it grow', async () => {
    const kept = open();
    const keeper = keepWal(kept.db, { everyMs: 10, restartFrames: 2048 });
    await writeSteadily(kept.db, 40_000, keeper.afterCommit);
    await keeper.stop();

    const unkept = open();
    const background = keepWal(unkept.db, { everyMs: 10, restartFrames: Number.POSITIVE_INFINITY });
    await writeSteadily(unkept.db, 40_000, background.afterCommit);
    await background.stop();

    // 2048 frames are 8 MiB; the writer runs ahead while the thread boots and between reports.
    expect(walBytes(kept.file)).toBeLessThan(32 << 20);
    expect(walBytes(unkept.file)).toBeGreaterThan(4 * walBytes(kept.file));
    expect(kept.db.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 40_000 });
    kept.db.close();
    unkept.db.close();
  }, 60_000);

  it('when the keeper stops then its connection is closed, and the last one to close removes the log', async () => {
    const { db, file } = open();
    const keeper = keepWal(db, { everyMs: 10 });
    await writeSteadily(db, 200, keeper.afterCommit);
    await keeper.stop();
    await keeper.stop();
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('when the thread cannot open the database then the writer checkpoints on commit again and is told', async () => {
    const { db, file } = open();
    unlinkSync(file);
    const failures: string[] = [];
    const keeper = keepWal(db, { everyMs: 10, onFailure: (message) => failures.push(message) });
    for (let i = 0; i < 100 && failures.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(failures).toHaveLength(1);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await keeper.stop();
    db.close();
  });

  it('when the database is in memory then nothing is started', async () => {
    const db = new Database(':memory:');
    const keeper = keepWal(db, { everyMs: 10 });
    keeper.afterCommit();
    await keeper.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });
});
