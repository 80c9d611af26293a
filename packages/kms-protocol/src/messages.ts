import { z } from 'zod';

const guid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'expected a lower-case GUID',
  );
const instant = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const interval = z.number().int().min(15).max(43_200);

/** What a volume client asks: one activation (or renewal) of one product. */
export const requestSchema = z
  .object({
    /** The product (SKU licence) to activate. */
    activationId: guid,
    /** The client machine ID: what the host counts. Rearm makes a new one. */
    clientMachineId: z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'expected 1-64 letters, digits or -'),
    /** A hash of the machine's hardware identity: tells clones sharing one ID apart. */
    workstation: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 hex characters'),
    /** The client's licence state code (0-6), for the host's statistics. */
    licenceState: z.number().int().min(0).max(6),
    /** The threshold the client needs; the host bounds it by the vendor's catalog. */
    requiredCount: z.number().int().min(0).max(0xffff_ffff),
    /** The client's clock, ms since the epoch. */
    clientTime: instant,
    /** Fresh per request (base64url); the signed answer must repeat it. */
    nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected 16-64 base64url characters'),
  })
  .strict();

/** Why a host refuses a well-formed request; the answer is still signed. */
export const REFUSAL_REASONS = [
  'clock_skew',
  'product_not_served',
  'maintenance',
  'internal',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** What a host answers: the count, its intervals and, when activated, a signed volume grant. */
export const responseSchema = z
  .object({
    outcome: z.enum(['activated', 'below_threshold', 'refused']),
    reason: z.enum(REFUSAL_REASONS).nullable(),
    activationId: guid,
    clientMachineId: z.string().max(64),
    nonce: z.string().max(64),
    /** Distinct client machines counted for the product's family (capped). */
    count: z.number().int().nonnegative(),
    /** The count at which this product activates. */
    threshold: z.number().int().nonnegative(),
    activationIntervalMinutes: interval,
    renewalIntervalMinutes: interval,
    extendedProductId: z.string().max(100),
    /** When the activation ends; null unless activated. */
    validUntil: instant.nullable(),
    hostTime: instant,
    /** The host saw this client machine ID on another workstation: a clone. */
    duplicate: z.boolean(),
    /** The vendor-signed certificate of the host's key. */
    hostCertificate: z.string().max(4096),
    /** The volume grant the client stores; null unless activated. */
    grant: z.string().max(4096).nullable(),
  })
  .strict();

/** Why a connection is being closed: the body of an error frame. */
export const ERROR_PROBLEMS = [
  'bad_magic',
  'bad_version',
  'bad_type',
  'bad_reserved',
  'too_large',
  'malformed',
  'timeout',
  'busy',
  'internal',
] as const;
export type ErrorProblem = (typeof ERROR_PROBLEMS)[number];

/** An error frame's body. */
export const errorSchema = z.object({
  problem: z.enum(ERROR_PROBLEMS),
  message: z.string().max(500),
});

export type KmsRequest = z.output<typeof requestSchema>;
export type KmsResponse = z.output<typeof responseSchema>;
export type KmsError = z.output<typeof errorSchema>;
