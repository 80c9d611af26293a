import { newClientMachineId, type RandomBytes } from '../machine/identity.js';
import type { MachineSettings, MachineState, ProductLicence, ProductSettings } from './types.js';

/** A day in milliseconds. */
export const DAY_MS = 86_400_000;

/** Non-genuine grace length; a fixed policy as in the reference behaviour. */
export const NON_GENUINE_GRACE_DAYS = 30;

/** A clock reading this far behind trusted time counts as moved back (not mere jitter). */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/** Settings of a new machine: DNS discovery, host caching on, any activation method. */
export const DEFAULT_MACHINE_SETTINGS: MachineSettings = {
  kms: { host: null, port: null, domain: null },
  hostCaching: true,
  activationType: 0,
  host: {
    activationInterval: 120,
    renewalInterval: 10_080,
    port: 1688,
    dnsPublishing: true,
    lowPriority: false,
  },
};

/** Per-product settings of a new product: nothing overridden. */
export const DEFAULT_PRODUCT_SETTINGS: ProductSettings = {
  kms: { host: null, port: null, domain: null },
  activationType: null,
};

/** A machine that has never seen a product key. */
export function newMachineState(randomBytes: RandomBytes, now: number): MachineState {
  return {
    schema: 1,
    clientMachineId: newClientMachineId(randomBytes),
    trustedTime: now,
    clockMovedBackAt: null,
    lastClockReading: now,
    products: {},
    settings: DEFAULT_MACHINE_SETTINGS,
  };
}

/**
 * The instant licensing counts from: never behind trusted time, and moving on with the clock even
 * while the clock reads behind trusted time (it was set forward, then back).
 */
export function trustedNow(state: MachineState, now: number): number {
  const elapsed = Math.max(0, now - (state.lastClockReading ?? state.trustedTime));
  return Math.max(now, state.trustedTime + elapsed);
}

/** A product with no key, grant or history. */
export function emptyProduct(activationId: string): ProductLicence {
  return {
    activationId,
    key: null,
    graceStartedAt: null,
    rearmsUsed: 0,
    grants: [],
    nonGenuineSince: null,
    driftSince: null,
    settings: DEFAULT_PRODUCT_SETTINGS,
  };
}

/** The product's record, or an empty one. */
export function productOf(state: MachineState, activationId: string): ProductLicence {
  return state.products[activationId] ?? emptyProduct(activationId);
}

/** A state with one product's record replaced. */
export function withProduct(state: MachineState, product: ProductLicence): MachineState {
  return { ...state, products: { ...state.products, [product.activationId]: product } };
}
