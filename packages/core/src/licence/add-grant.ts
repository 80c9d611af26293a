import type { StoredGrant } from '../grants/schema.js';
import { validateStoredGrant } from '../grants/validate.js';
import { verifyStoredGrant } from '../grants/verify.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import { productOf, trustedNow, withProduct } from './defaults.js';
import type { EvaluationContext } from './evaluate.js';
import type { MachineState } from './types.js';

// Kept apart from the other operations: storing a grant validates it fully (zod), and the
// status path must not load that.

/**
 * Stores a grant after verifying it against the vendor key and this machine. A grant replaces
 * earlier grants of the same kind; its signed server time raises trusted time.
 */
export function addGrant(
  state: MachineState,
  grant: StoredGrant,
  ctx: EvaluationContext,
): Result<{ state: MachineState }> {
  const product = productOf(state, ctx.sku.activationId);
  if (product.key === null) {
    return fail('key.not_installed', 'install a product key before activating', {
      activationId: ctx.sku.activationId,
    });
  }
  const valid = validateStoredGrant(grant);
  if (!valid.ok) return valid;
  const verified = verifyStoredGrant(grant, {
    vendorKey: ctx.vendorKey,
    activationId: ctx.sku.activationId,
    key: product.key,
    clientMachineId: state.clientMachineId,
    components: ctx.components,
  });
  if (!verified.ok) return verified;
  const grants = [...product.grants.filter((kept) => kept.kind !== grant.kind), grant];
  const updated = { ...product, grants, nonGenuineSince: null, driftSince: null };
  const trustedTime = Math.max(trustedNow(state, ctx.now), verified.value.signedTime ?? 0);
  const next = { ...withProduct(state, updated), trustedTime, lastClockReading: ctx.now };
  return ok({ state: next });
}
