import type { Sku } from '../catalog/schema.js';
import type { SlmError } from '../errors.js';
import type { StoredGrant, VerifiedGrant } from '../grants/schema.js';
import { type GrantContext, NON_GENUINE_CODES, verifyStoredGrant } from '../grants/verify.js';
import {
  CLOCK_TOLERANCE_MS,
  DAY_MS,
  NON_GENUINE_GRACE_DAYS,
  productOf,
  trustedNow,
} from './defaults.js';
import {
  type InstalledKey,
  LICENCE_STATES,
  type LicenceStateName,
  type LicenceStatus,
  type MachineState,
  type ProductLicence,
  type StatusReason,
} from './types.js';

/** What evaluation needs beside the stored state. */
export interface EvaluationContext {
  /** The clock reading now (ms since the epoch). */
  readonly now: number;
  /** The SKU, from a catalog the machine trusts. */
  readonly sku: Sku;
  /** The vendor public key the product trusts; grants signed by any other key never count. */
  readonly vendorKey: string;
  /** The machine's identity component hashes now, salted for this product. */
  readonly components: readonly string[];
}

/** Grants sorted by whether they verify, with the first failure kept for display. */
interface GrantVerdicts {
  readonly verified: readonly VerifiedGrant[];
  readonly forged: SlmError | null;
}

/**
 * Derives a product's licence status at an instant. Pure: Licensed comes only from a grant that
 * verifies with the trusted vendor key and is bound to this machine, never from a stored flag;
 * time never runs backwards past the trusted high-water mark.
 */
export function evaluate(state: MachineState, ctx: EvaluationContext): LicenceStatus {
  const product = productOf(state, ctx.sku.activationId);
  const at = trustedNow(state, ctx.now);
  const base = {
    activationId: ctx.sku.activationId,
    trustedTime: at,
    clockMovedBack: ctx.now < state.trustedTime - CLOCK_TOLERANCE_MS,
    remainingRearms: Math.max(0, ctx.sku.rearmLimit - product.rearmsUsed),
    key: product.key,
  };
  if (product.key === null) {
    return { ...base, ...verdict('unlicensed', 'no_key', null), grant: null, grantProblem: null };
  }
  const verdicts = verifyGrants(state, product, product.key, ctx);
  const decided = decide(state, product, verdicts, ctx, at);
  return {
    ...base,
    ...decided.verdict,
    grant: decided.grant === null ? null : summarise(decided.grant, product.key),
    grantProblem: verdicts.forged?.message ?? null,
  };
}

/** Checks every stored grant; a forged one is remembered, one that merely does not apply is not. */
export function verifyGrants(
  state: MachineState,
  product: ProductLicence,
  key: InstalledKey,
  ctx: Pick<EvaluationContext, 'sku' | 'vendorKey' | 'components'>,
): GrantVerdicts {
  const grantCtx: GrantContext = {
    vendorKey: ctx.vendorKey,
    activationId: ctx.sku.activationId,
    key,
    clientMachineId: state.clientMachineId,
    components: ctx.components,
  };
  const verified: VerifiedGrant[] = [];
  let forged: SlmError | null = null;
  for (const grant of product.grants) {
    const result = verifyStoredGrant(grant as StoredGrant, grantCtx);
    if (result.ok) verified.push(result.value);
    else if (NON_GENUINE_CODES.includes(result.error.code)) forged ??= result.error;
  }
  return { verified, forged };
}

interface Decision {
  readonly verdict: Verdict;
  readonly grant: VerifiedGrant | null;
}

function decide(
  state: MachineState,
  product: ProductLicence,
  verdicts: GrantVerdicts,
  ctx: EvaluationContext,
  at: number,
): Decision {
  const tolerance = ctx.sku.hardwareTolerance;
  const activations = verdicts.verified.filter((grant) => grant.kind !== 'extension');
  const fitting = activations.filter((grant) => grant.drift <= tolerance);
  const current = latest(
    fitting.filter((grant) => grant.expiresAt === null || at < grant.expiresAt),
  );
  if (current !== null) return { verdict: licensed(current), grant: current };

  if (verdicts.forged !== null) {
    const end = (product.nonGenuineSince ?? state.trustedTime) + NON_GENUINE_GRACE_DAYS * DAY_MS;
    return {
      verdict: graceOr('non_genuine_grace', 'grant_not_genuine', end, at, 'non_genuine'),
      grant: null,
    };
  }
  const drifted = latest(activations.filter((grant) => grant.drift > tolerance));
  if (drifted !== null) {
    const days =
      drifted.kind === 'volume'
        ? ctx.sku.additionalGraceDays.volume
        : ctx.sku.additionalGraceDays.retail;
    const end = (product.driftSince ?? state.trustedTime) + days * DAY_MS;
    return {
      verdict: graceOr('additional_grace', 'hardware_changed', end, at, 'grace_expired'),
      grant: drifted,
    };
  }
  const lapsed = latest(fitting);
  if (lapsed !== null) return { verdict: afterExpiry(lapsed, ctx, at), grant: lapsed };

  return { verdict: beforeActivation(product, verdicts, ctx, at), grant: null };
}

function licensed(grant: VerifiedGrant): Verdict {
  if (grant.expiresAt === null) return verdict('licensed', 'activated', null);
  const reason = grant.kind === 'volume' ? 'volume_activated' : 'time_based';
  return verdict('licensed', reason, grant.expiresAt);
}

function afterExpiry(grant: VerifiedGrant, ctx: EvaluationContext, at: number): Verdict {
  if (grant.kind !== 'volume' || grant.expiresAt === null) {
    return verdict('notification', 'licence_expired', null);
  }
  const end = grant.expiresAt + ctx.sku.additionalGraceDays.volume * DAY_MS;
  return graceOr('additional_grace', 'volume_expired', end, at, 'grace_expired');
}

function beforeActivation(
  product: ProductLicence,
  verdicts: GrantVerdicts,
  ctx: EvaluationContext,
  at: number,
): Verdict {
  const extension = latest(
    verdicts.verified.filter(
      (grant) => grant.kind === 'extension' && grant.drift <= ctx.sku.hardwareTolerance,
    ),
  );
  if (extension?.expiresAt != null && at < extension.expiresAt) {
    return verdict('extended_grace', 'vendor_extension', extension.expiresAt);
  }
  const start = product.graceStartedAt ?? product.key?.installedAt ?? at;
  const end = start + ctx.sku.initialGraceDays * DAY_MS;
  return graceOr('initial_grace', 'trial', end, at, 'grace_expired');
}

/** The grant that lasts longest: perpetual first, then the latest expiry. */
function latest(grants: readonly VerifiedGrant[]): VerifiedGrant | null {
  let best: VerifiedGrant | null = null;
  for (const grant of grants) {
    if (best === null || lastsLonger(grant, best)) best = grant;
  }
  return best;
}

function lastsLonger(a: VerifiedGrant, b: VerifiedGrant): boolean {
  if (b.expiresAt === null) return false;
  return a.expiresAt === null || a.expiresAt > b.expiresAt;
}

type Verdict = Pick<LicenceStatus, 'state' | 'code' | 'reason' | 'endsAt'>;

function verdict(state: LicenceStateName, reason: StatusReason, endsAt: number | null): Verdict {
  return { state, code: LICENCE_STATES[state], reason, endsAt };
}

function graceOr(
  state: LicenceStateName,
  reason: StatusReason,
  end: number,
  at: number,
  expiredReason: StatusReason,
): Verdict {
  return at < end ? verdict(state, reason, end) : verdict('notification', expiredReason, null);
}

function summarise(grant: VerifiedGrant, key: InstalledKey): LicenceStatus['grant'] {
  return {
    kind: grant.kind,
    grantId: grant.grantId,
    channel: key.channel,
    activatedAt: grant.activatedAt,
    expiresAt: grant.expiresAt,
    extendedProductId: grant.extendedProductId,
    renewalIntervalMinutes: grant.volume?.renewalIntervalMinutes ?? null,
    activationIntervalMinutes: grant.volume?.activationIntervalMinutes ?? null,
  };
}
