import type { StoredGrant } from '../grants/schema.js';
import type { Channel } from '../keys/index.js';

/** The seven licence states and their numeric codes, as administrators know them. */
export const LICENCE_STATES = {
  unlicensed: 0,
  licensed: 1,
  initial_grace: 2,
  additional_grace: 3,
  non_genuine_grace: 4,
  notification: 5,
  extended_grace: 6,
} as const;

/** A licence state by name. */
export type LicenceStateName = keyof typeof LICENCE_STATES;

/** Why a product is in its state: a verdict, not an error. */
export const STATUS_REASONS = [
  'no_key',
  'activated',
  'volume_activated',
  'time_based',
  'trial',
  'volume_expired',
  'hardware_changed',
  'grant_not_genuine',
  'vendor_extension',
  'grace_expired',
  'non_genuine',
  'licence_expired',
] as const;

/** A status reason code. */
export type StatusReason = (typeof STATUS_REASONS)[number];

/** The identity of the installed product key; the full key is never part of the state. */
export interface InstalledKey {
  readonly partial: string;
  readonly channel: Channel;
  readonly skuCode: number;
  readonly serial: number;
  readonly version: number;
  readonly installedAt: number;
}

/** Volume activation type: 0 any method, 2 volume host only, 3 token only. */
export type ActivationType = 0 | 2 | 3;

/** Where a volume client looks for a host. Null fields mean "not set". */
export interface VolumeClientSettings {
  readonly host: string | null;
  readonly port: number | null;
  readonly domain: string | null;
}

/** Settings of the volume host process on this machine (used where a host key is active). */
export interface VolumeHostSettings {
  readonly activationInterval: number;
  readonly renewalInterval: number;
  readonly port: number;
  readonly dnsPublishing: boolean;
  readonly lowPriority: boolean;
}

/** Machine-wide settings. */
export interface MachineSettings {
  readonly kms: VolumeClientSettings;
  readonly hostCaching: boolean;
  readonly activationType: ActivationType;
  readonly host: VolumeHostSettings;
}

/** Per-product settings that take precedence over the machine-wide ones. */
export interface ProductSettings {
  readonly kms: VolumeClientSettings;
  readonly activationType: ActivationType | null;
}

/** What the machine holds for one product (SKU licence). */
export interface ProductLicence {
  readonly activationId: string;
  readonly key: InstalledKey | null;
  /** Start of the initial grace: the first key install, or the last rearm. */
  readonly graceStartedAt: number | null;
  readonly rearmsUsed: number;
  readonly grants: readonly StoredGrant[];
  /** When a grant that fails verification was first seen. */
  readonly nonGenuineSince: number | null;
  /** When the hardware was first seen to have drifted beyond tolerance. */
  readonly driftSince: number | null;
  readonly settings: ProductSettings;
}

/** The whole licensing state of one machine: JSON-safe, persisted by an adapter's store. */
export interface MachineState {
  readonly schema: 1;
  readonly clientMachineId: string;
  /** Trusted time: the high-water mark of every clock reading and signed server time seen. */
  readonly trustedTime: number;
  /** The last clock reading seen behind trusted time, or null. */
  readonly clockMovedBackAt: number | null;
  /**
   * The clock reading of the last observation. Time that passes on the clock after it counts
   * even while the clock is behind trusted time, so a clock moved forward and back again cannot
   * freeze a grace. Absent in states written before it existed: trusted time stands in.
   */
  readonly lastClockReading?: number;
  readonly products: Readonly<Record<string, ProductLicence>>;
  readonly settings: MachineSettings;
}

/** The summary of the grant that decides a status, for `/dlv`. */
export interface GrantSummary {
  readonly kind: StoredGrant['kind'];
  readonly grantId: string;
  readonly channel: Channel;
  readonly activatedAt: number;
  readonly expiresAt: number | null;
  readonly extendedProductId: string;
  readonly renewalIntervalMinutes: number | null;
  readonly activationIntervalMinutes: number | null;
}

/** A product's licence status at one instant. */
export interface LicenceStatus {
  readonly activationId: string;
  readonly state: LicenceStateName;
  readonly code: (typeof LICENCE_STATES)[LicenceStateName];
  readonly reason: StatusReason;
  /** When this state ends; null when it does not (Unlicensed, perpetual Licensed, Notification). */
  readonly endsAt: number | null;
  /** The instant the status was computed at: never before trusted time. */
  readonly trustedTime: number;
  readonly clockMovedBack: boolean;
  readonly remainingRearms: number;
  readonly key: InstalledKey | null;
  readonly grant: GrantSummary | null;
  /** Why a stored grant did not count, when one failed verification. */
  readonly grantProblem: string | null;
}
