import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '@slm/core';
import { countOtherMachines, findLiveActivation, insertActivation } from '../db/activations.js';
import { findKey, type KeyLookup } from '../db/keys.js';
import type { VendorDb } from '../db/open.js';
import type { ActivationRow, KeyRow } from '../db/schema.js';
import { inWriteTransaction } from '../db/transaction.js';

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
 * concurrent requests can never take more activations than the key allows. The same machine
 * asking again gets its existing activation back and uses nothing up.
 */
export function claimActivation(
  vdb: VendorDb,
  claim: Claim,
  issue: (key: KeyRow, activationRecordId: string) => Issued,
): Promise<ClaimOutcome> {
  return inWriteTransaction(vdb, async (trx) => {
    const key = await findKey(trx, claim.lookup);
    if (key === undefined || (claim.matches !== undefined && !claim.matches(key))) {
      return { kind: 'refused', code: 'key.forged', key: null };
    }
    if (key.blocked !== 0) return { kind: 'refused', code: 'key.blocked', key };

    const existing = await findLiveActivation(trx, key.id, claim.machine, claim.method);
    if (existing !== undefined) return { kind: 'activated', key, row: existing, reused: true };

    if (key.activation_limit !== null) {
      const others = await countOtherMachines(trx, key.id, claim.machine);
      if (others >= key.activation_limit)
        return { kind: 'refused', code: 'key.limit_reached', key };
    }

    const id = randomUUID();
    const issued = issue(key, id);
    const row: ActivationRow = {
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
    await insertActivation(trx, row);
    return { kind: 'activated', key, row, reused: false };
  });
}
