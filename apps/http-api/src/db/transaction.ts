import { type Kysely, sql } from 'kysely';
import type { VendorDb } from './open.js';
import type { Database } from './schema.js';

/**
 * Runs `work` as one write transaction that no other writer interleaves with: on SQLite,
 * BEGIN IMMEDIATE on the single connection takes the write lock before the first read, so a
 * check-then-insert (an activation limit) cannot race. A PostgreSQL dialect would BEGIN and let
 * `lockKeyRow` take the key's row lock (SELECT … FOR UPDATE) instead.
 */
export function inWriteTransaction<T>(
  vdb: VendorDb,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return vdb.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (thrown) {
      await sql`rollback`.execute(conn);
      throw thrown;
    }
  });
}
