import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVendorDb, type VendorDb } from '../src/db/open.js';

let dir: string;
let vdb: VendorDb;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-db-'));
  vdb = await openVendorDb(join(dir, 'vendor.sqlite'), { create: true });
});
afterAll(async () => {
  await vdb.close();
  await rm(dir, { recursive: true, force: true });
});

const insertCatalog = (signed: string) =>
  vdb.run(vdb.db.insertInto('catalogs').values({ signed, published_at: 1 }));

describe('the vendor database', () => {
  it('when one of several grouped transactions throws then only its own work is undone', async () => {
    const results = await Promise.allSettled([
      vdb.grouped(() => insertCatalog('first')),
      vdb.grouped(() => {
        insertCatalog('doomed');
        throw new Error('signing failed');
      }),
      vdb.grouped(() => insertCatalog('third')),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await vdb.db.selectFrom('catalogs').select('signed').orderBy('version').execute();
    expect(rows.map((r) => r.signed)).toEqual(['first', 'third']);
  });

  it('when opened again then the migrations do not run twice', async () => {
    const again = await openVendorDb(join(dir, 'vendor.sqlite'));
    const migrations = await again.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    await again.close();
    expect(migrations).toEqual([{ name: '0001_initial' }]);
  });
});

describe('closing the vendor database', () => {
  it('when work is still queued then it is committed before the database closes', async () => {
    const file = join(dir, 'closing.sqlite');
    const db = await openVendorDb(file, { create: true });
    const pending = db.grouped(() =>
      db.run(db.db.insertInto('catalogs').values({ signed: 'late', published_at: 2 })),
    );
    await db.close();
    await expect(pending).resolves.toBe(1);

    const reopened = await openVendorDb(file);
    const rows = await reopened.db.selectFrom('catalogs').select('signed').execute();
    await reopened.close();
    expect(rows).toEqual([{ signed: 'late' }]);
  });
});

describe('checkpointing the vendor database', () => {
  it('when the database stays open then the WAL is checkpointed in the background and restarts', async () => {
    const file = join(dir, 'checkpoint.sqlite');
    const db = await openVendorDb(file, { create: true });
    const insert = (n: number) =>
      db.run(db.db.insertInto('catalogs').values({ signed: `v${n}`, published_at: n }));
    for (let n = 0; n < 100; n++) insert(n);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    insert(100);

    const observer = new BetterSqlite3(file);
    const [wal] = observer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    observer.close();
    await db.close();
    expect(wal?.log).toBeLessThan(10);
  });
});
