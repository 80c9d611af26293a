import type { Kysely } from 'kysely';
import { queryTemplate } from './compiled.js';
import type { Database, KeyRow, NewKeyRow } from './schema.js';

/** How a key is found: by the hash of its text (online) or by its identity (phone). */
export type KeyLookup =
  | { readonly by: 'hash'; readonly keyHash: string }
  | {
      readonly by: 'identity';
      readonly skuCode: number;
      readonly channel: string;
      readonly serial: number;
    };

/**
 * The query for a key row. Inside a write transaction this is where a PostgreSQL store adds
 * `.forUpdate()`, so that concurrent activations of one key wait for each other.
 */
export function keyQuery(db: Kysely<Database>, lookup: KeyLookup) {
  const query = db.selectFrom('keys').selectAll();
  if (lookup.by === 'hash') return query.where('key_hash', '=', lookup.keyHash);
  return query
    .where('sku_code', '=', lookup.skuCode)
    .where('channel', '=', lookup.channel)
    .where('serial', '=', lookup.serial);
}

type ByHash = Extract<KeyLookup, { by: 'hash' }>;
type ByIdentity = Omit<Extract<KeyLookup, { by: 'identity' }>, 'by'>;

/** {@link keyQuery} by hash, compiled once. */
export const keyByHashTemplate = queryTemplate<ByHash, KeyRow>(['keyHash'], (db, p) =>
  keyQuery(db, { by: 'hash', keyHash: p.keyHash }),
);

/** {@link keyQuery} by identity, compiled once. */
export const keyByIdentityTemplate = queryTemplate<ByIdentity, KeyRow>(
  ['skuCode', 'channel', 'serial'],
  (db, p) => keyQuery(db, { by: 'identity', ...p }),
);

/** The query for the highest serial minted so far for a SKU and channel. */
export function topSerialQuery(db: Kysely<Database>, skuCode: number, channel: string) {
  return db
    .selectFrom('keys')
    .select((eb) => eb.fn.max('serial').as('top'))
    .where('sku_code', '=', skuCode)
    .where('channel', '=', channel);
}

/** The statement that records minted keys. */
export function insertKeysQuery(db: Kysely<Database>, rows: NewKeyRow[]) {
  return db.insertInto('keys').values(rows);
}

export function findKeyById(db: Kysely<Database>, id: number): Promise<KeyRow | undefined> {
  return db.selectFrom('keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Sets or clears a key's block; false when no such key exists. */
export async function setBlocked(
  db: Kysely<Database>,
  id: number,
  reason: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('keys')
    .set({ blocked: reason === null ? 0 : 1, blocked_reason: reason })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface KeySearch {
  readonly partial?: string | undefined;
  readonly skuCode?: number | undefined;
  readonly channel?: string | undefined;
  readonly blocked?: boolean | undefined;
  readonly afterId: number;
  readonly limit: number;
}

/** Lists keys in id order, filtered; `partial` matches any part of the last five symbols. */
export function searchKeys(db: Kysely<Database>, search: KeySearch) {
  let query = db
    .selectFrom('keys')
    .select([
      'id',
      'partial',
      'channel',
      'sku_code',
      'serial',
      'activation_limit',
      'blocked',
      'blocked_reason',
      'batch_id',
      'created_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('activations')
        .select((inner) => inner.fn.count<number>('machine').distinct().as('n'))
        .whereRef('activations.key_id', '=', 'keys.id')
        .where('activations.revoked_at', 'is', null)
        .as('used'),
    )
    .where('id', '>', search.afterId);
  if (search.partial !== undefined) query = query.where('partial', 'like', `%${search.partial}%`);
  if (search.skuCode !== undefined) query = query.where('sku_code', '=', search.skuCode);
  if (search.channel !== undefined) query = query.where('channel', '=', search.channel);
  if (search.blocked !== undefined) query = query.where('blocked', '=', search.blocked ? 1 : 0);
  return query.orderBy('id').limit(search.limit).execute();
}
