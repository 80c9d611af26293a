import type { Kysely } from 'kysely';
import type { ActivationRow, Database } from './schema.js';

/** The live activation of this key on this machine by this method, if any. */
export function findLiveActivation(
  db: Kysely<Database>,
  keyId: number,
  machine: string,
  method: string,
): Promise<ActivationRow | undefined> {
  return db
    .selectFrom('activations')
    .selectAll()
    .where('key_id', '=', keyId)
    .where('machine', '=', machine)
    .where('method', '=', method)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Distinct machines other than `machine` that hold a live activation of the key. */
export async function countOtherMachines(
  db: Kysely<Database>,
  keyId: number,
  machine: string,
): Promise<number> {
  const row = await db
    .selectFrom('activations')
    .select((eb) => eb.fn.count<number>('machine').distinct().as('n'))
    .where('key_id', '=', keyId)
    .where('machine', '!=', machine)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertActivation(db: Kysely<Database>, row: ActivationRow): Promise<void> {
  await db.insertInto('activations').values(row).execute();
}

export function activationsOfKey(db: Kysely<Database>, keyId: number): Promise<ActivationRow[]> {
  return db
    .selectFrom('activations')
    .selectAll()
    .where('key_id', '=', keyId)
    .orderBy('created_at')
    .execute();
}

/** Activations of a machine, by its fingerprint or the 16-digit prefix phone activation knows. */
export function activationsOfMachine(
  db: Kysely<Database>,
  machine: string,
): Promise<ActivationRow[]> {
  return db
    .selectFrom('activations')
    .selectAll()
    .where('machine', '=', machine.slice(0, 16))
    .orderBy('created_at')
    .execute();
}

/** Revokes a live activation; false when none with that id is live. */
export async function revokeActivation(
  db: Kysely<Database>,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('activations')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
