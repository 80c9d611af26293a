import type { Kysely } from 'kysely';
import type { ActivationRow, Database } from './schema.js';

/** The query for the live activation of this key on this machine by this method. */
export function liveActivationQuery(
  db: Kysely<Database>,
  keyId: number,
  machine: string,
  method: string,
) {
  return db
    .selectFrom('activations')
    .selectAll()
    .where('key_id', '=', keyId)
    .where('machine', '=', machine)
    .where('method', '=', method)
    .where('revoked_at', 'is', null);
}

/** The query counting distinct machines other than `machine` with a live activation of the key. */
export function otherMachinesQuery(db: Kysely<Database>, keyId: number, machine: string) {
  return db
    .selectFrom('activations')
    .select((eb) => eb.fn.count<number>('machine').distinct().as('n'))
    .where('key_id', '=', keyId)
    .where('machine', '!=', machine)
    .where('revoked_at', 'is', null);
}

/** The statement that records an activation. */
export function insertActivationQuery(db: Kysely<Database>, row: ActivationRow) {
  return db.insertInto('activations').values(row);
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
