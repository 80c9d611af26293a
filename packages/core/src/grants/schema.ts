import { z } from 'zod';
import { guidSchema } from '../catalog/schema.js';
import { CHANNELS } from '../keys/index.js';
import type { StoredTokenGrant } from './token.js';

const instant = z.number().int().nonnegative();
const hex32 = z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 hex characters');

/** The identity of a product key as grants name it: never the full key. */
export const keyIdentitySchema = z.object({
  channel: z.enum(CHANNELS),
  skuCode: z.number().int().min(0).max(65_535),
  serial: z.number().int().min(0).max(0xffff_ffff),
  partial: z.string().length(5),
});

/** A vendor-signed grant bound to one machine: online activation or a vendor grace extension. */
export const machineGrantSchema = z.object({
  v: z.literal(1),
  type: z.enum(['online', 'extension']),
  grantId: z.string().min(1).max(64),
  activationId: guidSchema,
  key: keyIdentitySchema,
  fingerprint: hex32,
  issuedAt: instant,
  expiresAt: instant.nullable(),
  extendedProductId: z.string().max(100),
});

/** A vendor-signed certificate naming a volume host's key and the products it may activate. */
export const hostCertificateSchema = z.object({
  v: z.literal(1),
  hostId: z.string().min(1).max(64),
  hostPublicKey: z.string().min(43).max(44),
  activationIds: z.array(guidSchema).min(1),
  hostKeyPartial: z.string().length(5),
  issuedAt: instant,
  expiresAt: instant.nullable(),
});

/** A volume host's answer that activates one client machine for one product until expiresAt. */
export const volumeGrantSchema = z.object({
  v: z.literal(1),
  activationId: guidSchema,
  clientMachineId: z.string().min(1).max(64),
  hostId: z.string().min(1).max(64),
  extendedProductId: z.string().max(100),
  issuedAt: instant,
  expiresAt: instant,
  activationIntervalMinutes: z.number().int().min(15).max(43_200),
  renewalIntervalMinutes: z.number().int().min(15).max(43_200),
  count: z.number().int().nonnegative(),
  nonce: z.string().max(64),
});

export type KeyIdentity = z.output<typeof keyIdentitySchema>;
export type MachineGrant = z.output<typeof machineGrantSchema>;
export type HostCertificate = z.output<typeof hostCertificateSchema>;
export type VolumeGrant = z.output<typeof volumeGrantSchema>;

/** How a grant is kept in the machine's store, with what verification needs beside it. */
export type StoredGrant =
  | { kind: 'online' | 'extension'; document: string; components: string[] }
  | {
      kind: 'phone';
      installationId: string;
      confirmationId: string;
      components: string[];
      activatedAt: number;
    }
  | { kind: 'volume'; document: string; hostCertificate: string }
  | StoredTokenGrant;

/** What a stored grant proves once verified. */
export interface VerifiedGrant {
  readonly kind: StoredGrant['kind'];
  readonly grantId: string;
  /** Server time signed into the grant (null for phone activation, which has none). */
  readonly signedTime: number | null;
  readonly activatedAt: number;
  readonly expiresAt: number | null;
  readonly extendedProductId: string;
  /** Identity components bound at activation that no longer match this machine. */
  readonly drift: number;
  readonly volume: VolumeGrant | null;
}
