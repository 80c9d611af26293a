import { catalogSkus, findSkuByCode } from '../catalog/lookup.js';
import type { Catalog } from '../catalog/schema.js';
import type { ProductKey } from '../keys/index.js';
import { newClientMachineId, type RandomBytes } from '../machine/identity.js';
import { fail, ok, type Result } from '../result.js';
import {
  CLOCK_TOLERANCE_MS,
  emptyProduct,
  productOf,
  trustedNow,
  withProduct,
} from './defaults.js';
import { type EvaluationContext, verifyGrants } from './evaluate.js';
import type { InstalledKey, MachineState, ProductLicence } from './types.js';

/** The outcome of installing a product key. */
export interface KeyInstalled {
  readonly state: MachineState;
  readonly activationId: string;
  /** The partial key that was replaced, if any (on this SKU or another SKU of the product). */
  readonly replacedPartial: string | null;
  /** False when the very same key was already installed. */
  readonly changed: boolean;
}

/**
 * Installs a product key for the SKU it belongs to, replacing the key of any SKU of the same
 * product. The initial grace starts at the first install and is not restarted by reinstalling.
 */
export function installKey(
  state: MachineState,
  catalogs: readonly Catalog[],
  key: ProductKey,
  now: number,
): Result<KeyInstalled> {
  const found = catalogs.map((catalog) => findSkuByCode(catalog, key.skuCode)).find(Boolean);
  if (!found) {
    const hint =
      catalogs.length === 0
        ? 'no product catalog is installed: install one with slmgr /ilc FILE first'
        : 'the product key does not belong to any installed product';
    return fail('key.wrong_product', hint, { partialKey: key.partial });
  }
  if (!found.sku.channels.includes(key.channel)) {
    return fail(
      'key.wrong_channel',
      `${found.sku.name} is not sold through the ${key.channel} channel`,
      {
        partialKey: key.partial,
      },
    );
  }
  const { activationId } = found.sku;
  const current = productOf(state, activationId);
  if (current.key !== null && sameKey(current.key, key)) {
    return ok({ state, activationId, replacedPartial: null, changed: false });
  }
  const siblings = found.product.skus
    .map((sku) => sku.activationId)
    .filter((id) => id !== activationId);
  const at = trustedNow(state, now);
  const { state: cleared, removed } = removeSiblingKeys(withClock(state, at, now), siblings);
  const installed: InstalledKey = {
    partial: key.partial,
    channel: key.channel,
    skuCode: key.skuCode,
    serial: key.serial,
    version: key.version,
    installedAt: at,
  };
  const product: ProductLicence = {
    ...current,
    key: installed,
    graceStartedAt: current.graceStartedAt ?? at,
    grants: [],
    nonGenuineSince: null,
    driftSince: null,
  };
  return ok({
    state: withProduct(cleared, product),
    activationId,
    replacedPartial: current.key?.partial ?? removed,
    changed: true,
  });
}

/** Uninstalls the product key of one product: it returns to Unlicensed. */
export function uninstallKey(
  state: MachineState,
  activationId: string,
): Result<{ state: MachineState; partial: string }> {
  const product = productOf(state, activationId);
  if (product.key === null) {
    return fail('key.not_installed', 'no product key is installed for this product', {
      activationId,
    });
  }
  const cleared = { ...product, key: null, grants: [], nonGenuineSince: null, driftSince: null };
  return ok({ state: withProduct(state, cleared), partial: product.key.partial });
}

/** The outcome of a rearm. */
export interface Rearmed {
  readonly state: MachineState;
  /** Products whose timers were reset, with the rearms each has left. */
  readonly rearmed: readonly { activationId: string; remainingRearms: number }[];
}

/**
 * Resets the initial grace of every product with a key, uses one rearm of each, regenerates the
 * client machine ID and drops volume activations (they were bound to the old ID).
 * Refuses, changing nothing, when no product can be rearmed — and says why.
 */
export function rearm(
  state: MachineState,
  catalogs: readonly Catalog[],
  now: number,
  randomBytes: RandomBytes,
): Result<Rearmed> {
  const candidates = catalogs
    .flatMap(catalogSkus)
    .filter(({ sku }) => productOf(state, sku.activationId).key !== null);
  if (candidates.length === 0) {
    return fail('rearm.nothing_installed', 'there is no product key installed to rearm');
  }
  const allowed = candidates.filter(({ sku }) => sku.rearmLimit > 0);
  if (allowed.length === 0) {
    return fail(
      'rearm.disabled',
      'rearm is switched off for the installed products; nothing was changed',
    );
  }
  const able = allowed.filter(
    ({ sku }) => productOf(state, sku.activationId).rearmsUsed < sku.rearmLimit,
  );
  if (able.length === 0) {
    return fail(
      'rearm.limit_reached',
      'no rearms are left for the installed products; nothing was changed',
    );
  }
  const at = trustedNow(state, now);
  let next: MachineState = {
    ...withClock(state, at, now),
    clientMachineId: newClientMachineId(randomBytes),
  };
  const rearmed = able.map(({ sku }) => {
    const product = productOf(next, sku.activationId);
    const rearmsUsed = product.rearmsUsed + 1;
    next = withProduct(next, {
      ...product,
      rearmsUsed,
      graceStartedAt: at,
      grants: product.grants.filter((grant) => grant.kind !== 'volume'),
      nonGenuineSince: null,
      driftSince: null,
    });
    return { activationId: sku.activationId, remainingRearms: sku.rearmLimit - rearmsUsed };
  });
  return ok({ state: next, rearmed });
}

/**
 * Records what the machine has seen at `now`: raises trusted time (never lowers it), notes a
 * clock moved back, and remembers when a forged grant or hardware drift was first seen, so
 * their graces run from that instant and not from each later look.
 */
export function observe(state: MachineState, ctx: EvaluationContext): MachineState {
  const movedBack = ctx.now < state.trustedTime - CLOCK_TOLERANCE_MS;
  const observed: MachineState = {
    ...state,
    trustedTime: trustedNow(state, ctx.now),
    lastClockReading: ctx.now,
    clockMovedBackAt: movedBack ? ctx.now : state.clockMovedBackAt,
  };
  const product = state.products[ctx.sku.activationId];
  if (product?.key == null) return observed;
  const at = observed.trustedTime;
  const verdicts = verifyGrants(state, product, product.key, ctx);
  const drifted = verdicts.verified.some((grant) => grant.drift > ctx.sku.hardwareTolerance);
  const marked: ProductLicence = {
    ...product,
    nonGenuineSince: verdicts.forged === null ? null : (product.nonGenuineSince ?? at),
    driftSince: drifted ? (product.driftSince ?? at) : null,
  };
  return withProduct(observed, marked);
}

/** A state whose trusted time and last clock reading record a change made at `now`. */
function withClock(state: MachineState, at: number, now: number): MachineState {
  return { ...state, trustedTime: at, lastClockReading: now };
}

function sameKey(installed: InstalledKey, key: ProductKey): boolean {
  return (
    installed.channel === key.channel &&
    installed.skuCode === key.skuCode &&
    installed.serial === key.serial
  );
}

function removeSiblingKeys(
  state: MachineState,
  activationIds: readonly string[],
): { state: MachineState; removed: string | null } {
  let removed: string | null = null;
  let next = state;
  for (const id of activationIds) {
    const product = state.products[id];
    if (product?.key == null) continue;
    removed = product.key.partial;
    next = withProduct(next, { ...emptyProduct(id), ...product, key: null, grants: [] });
  }
  return { state: next, removed };
}
