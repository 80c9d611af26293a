import type { Kysely } from 'kysely';
import { queryTemplate } from './compiled.js';
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

/** What the templates of a claim are given: a key, a machine and how it activates. */
export interface MachineOfKey {
  readonly keyId: number;
  readonly machine: string;
  readonly method: string;
}

/** {@link liveActivationQuery}, compiled once. */
export const liveActivationTemplate = queryTemplate<MachineOfKey, ActivationRow>(
  ['keyId', 'machine', 'method'],
  (db, p) => liveActivationQuery(db, p.keyId, p.machine, p.method),
);

/** {@link otherMachinesQuery}, compiled once. */
export const otherMachinesTemplate = queryTemplate<Omit<MachineOfKey, 'method'>, { n: number }>(
  ['keyId', 'machine'],
  (db, p) => otherMachinesQuery(db, p.keyId, p.machine),
);

// A Record, so a column added to the table fails the type check until the insert names it.
const ACTIVATION_COLUMNS: Record<keyof ActivationRow, true> = {
  id: true,
  key_id: true,
  machine: true,
  fingerprint: true,
  method: true,
  activation_id: true,
  extended_product_id: true,
  proof: true,
  host_certificate: true,
  created_at: true,
  revoked_at: true,
};

/** {@link insertActivationQuery}, compiled once. */
export const insertActivationTemplate = queryTemplate<ActivationRow, unknown>(
  Object.keys(ACTIVATION_COLUMNS) as (keyof ActivationRow)[],
  (db, row) => insertActivationQuery(db, row),
);

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
