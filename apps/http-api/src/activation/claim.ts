import { randomFillSync } from 'node:crypto';
import type { ErrorCode } from '@slm/core';
import { v7 as timeOrderedId } from 'uuid';
import {
  insertActivationTemplate,
  liveActivationTemplate,
  otherMachinesTemplate,
} from '../db/activations.js';
import { type KeyLookup, keyByHashTemplate, keyByIdentityTemplate } from '../db/keys.js';
import type { VendorDb } from '../db/open.js';
import type { ActivationRow, KeyRow } from '../db/schema.js';

/** What a machine asks for: one activation of one key, by one method. */
export interface Claim {
  readonly lookup: KeyLookup;
  /** Extra proof the found key must satisfy (phone: the Installation ID's key proof). */
  readonly matches?: (key: KeyRow) => boolean;
  readonly machine: string;
  readonly fingerprint: string | null;
  readonly method: 'online' | 'phone' | 'host';
  readonly activationId: string;
  readonly now: number;
  /** The new activation record's id, when the signer needed it first (see `newActivationId`). */
  readonly recordId?: string;
}

/** What the signer adds to a new activation. */
export interface Issued {
  readonly extendedProductId: string;
  readonly proof: string;
  readonly hostCertificate: string | null;
}

export type ClaimOutcome =
  | {
      readonly kind: 'activated';
      readonly key: KeyRow;
      readonly row: ActivationRow;
      readonly reused: boolean;
    }
  | { readonly kind: 'refused'; readonly code: ErrorCode; readonly key: KeyRow | null };

/**
 * Checks the key and its limit and records the activation in one write transaction, so that
 * concurrent requests can never take more activations than the key allows; the same machine
 * asking again gets its existing activation back and uses nothing up.
 *
 * On SQLite the claim runs synchronously inside BEGIN IMMEDIATE (claims arriving together share
 * one commit, see `VendorDb.grouped`): the write lock is held from the first read, and no
 * other claim runs until this one is done. A PostgreSQL store runs the same queries in a
 * transaction with the key row locked (`keyQuery(…).forUpdate()`). The queries are kysely's,
 * compiled once (`db/compiled.ts`), so a PostgreSQL dialect compiles them its own way.
 */
export function claimActivation(
  vdb: VendorDb,
  claim: Claim,
  issue: (key: KeyRow, activationRecordId: string) => Issued,
): Promise<ClaimOutcome> {
  return vdb.grouped(() => {
    const [key] = findKey(vdb, claim.lookup);
    if (key === undefined || (claim.matches !== undefined && !claim.matches(key))) {
      return { kind: 'refused', code: 'key.forged', key: null };
    }
    if (key.blocked !== 0) return { kind: 'refused', code: 'key.blocked', key };

    const mine = { keyId: key.id, machine: claim.machine, method: claim.method };
    const [existing] = vdb.rowsOf(liveActivationTemplate, mine);
    if (existing !== undefined) return { kind: 'activated', key, row: existing, reused: true };

    if (key.activation_limit !== null) {
      const [others] = vdb.rowsOf(otherMachinesTemplate, mine);
      if (Number(others?.n ?? 0) >= key.activation_limit) {
        return { kind: 'refused', code: 'key.limit_reached', key };
      }
    }

    const row = newActivation(claim, key, issue);
    vdb.runOf(insertActivationTemplate, row);
    return { kind: 'activated', key, row, reused: false };
  });
}

/**
 * A new activation record id. Time-ordered ids (UUID version 7) land at the end of the primary
 * key index, so a batch of claims dirties a page or two there instead of one random page each.
 */
export function newActivationId(): string {
  return timeOrderedId({ random: randomBytes16() });
}

// uuid asks the operating system for 16 random bytes per id; one request for 4 KiB serves 256.
const RANDOM_POOL = new Uint8Array(4096);
let poolOffset = RANDOM_POOL.length;

function randomBytes16(): Uint8Array {
  if (poolOffset === RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    poolOffset = 0;
  }
  poolOffset += 16;
  return RANDOM_POOL.slice(poolOffset - 16, poolOffset);
}

function findKey(vdb: VendorDb, lookup: KeyLookup): KeyRow[] {
  if (lookup.by === 'hash') return vdb.rowsOf(keyByHashTemplate, lookup);
  return vdb.rowsOf(keyByIdentityTemplate, lookup);
}

function newActivation(
  claim: Claim,
  key: KeyRow,
  issue: (key: KeyRow, activationRecordId: string) => Issued,
): ActivationRow {
  const id = claim.recordId ?? newActivationId();
  const issued = issue(key, id);
  return {
    id,
    key_id: key.id,
    machine: claim.machine,
    fingerprint: claim.fingerprint,
    method: claim.method,
    activation_id: claim.activationId,
    extended_product_id: issued.extendedProductId,
    proof: issued.proof,
    host_certificate: issued.hostCertificate,
    created_at: claim.now,
    revoked_at: null,
  };
}
