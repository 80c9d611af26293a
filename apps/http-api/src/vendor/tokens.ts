import { randomBytes, randomUUID } from 'node:crypto';
import { sha256, toBase64Url, toHex } from '@slm/core';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** The roles an API token can hold. */
export type Role = 'admin';

const TOKEN_PREFIX = 'slm_at_';

/** The hash under which a token is stored; the token itself is never stored. */
export function hashToken(token: string): string {
  return toHex(sha256(token));
}

/** Creates a token, stores its hash, and returns the token: the only time it is seen. */
export async function createToken(
  db: Kysely<Database>,
  role: Role,
  label: string,
  now: number,
): Promise<string> {
  const token = TOKEN_PREFIX + toBase64Url(new Uint8Array(randomBytes(32)));
  await db
    .insertInto('tokens')
    .values({
      id: randomUUID(),
      token_hash: hashToken(token),
      role,
      label,
      created_at: now,
      revoked_at: null,
    })
    .execute();
  return token;
}

/** The role of a live token, or null. */
export async function roleOfToken(db: Kysely<Database>, token: string): Promise<Role | null> {
  const row = await db
    .selectFrom('tokens')
    .select('role')
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.role === 'admin' ? 'admin' : null;
}
