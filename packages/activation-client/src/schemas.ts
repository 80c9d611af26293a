import { z } from 'zod';

/** A GUID such as an activation ID or a client machine ID, in canonical 8-4-4-4-12 form. */
export const guidSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);

/** A machine fingerprint: 32 lowercase hex digits, salted per product by the machine. */
export const fingerprintSchema = z.string().regex(/^[0-9a-f]{32}$/);

/** Typed details that travel with a refusal or a problem; never a full key or token. */
export const contextSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

/** What the machine sends beside its key: nothing personal, only what binds the grant. */
export const installationSchema = z.object({
  clientMachineId: guidSchema,
  /** A volume host's own public key (base64url), sent only with a volume host key. */
  hostPublicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
});

/** POST /v1/activations/online */
export const onlineActivationRequestSchema = z.object({
  key: z.string().min(1).max(64),
  activationId: guidSchema,
  fingerprint: fingerprintSchema,
  installation: installationSchema,
});

/** The activation as the service recorded it. */
export const activationRecordSchema = z.object({
  id: z.string(),
  channel: z.string(),
  partialKey: z.string(),
  activationId: guidSchema,
  extendedProductId: z.string(),
  activatedAt: z.string(),
  /** True when this machine was already activated with this key and nothing was used up. */
  reused: z.boolean(),
});

/** A verdict that refuses: a stable reason code and a message, never an error status. */
export const refusalSchema = z.object({
  activated: z.literal(false),
  reason: z.string(),
  message: z.string(),
  context: contextSchema.optional(),
});

export const onlineActivationResponseSchema = z.discriminatedUnion('activated', [
  z.object({
    activated: z.literal(true),
    grant: z.string(),
    activation: activationRecordSchema,
    hostCertificate: z.string().optional(),
  }),
  refusalSchema,
]);

/** POST /v1/activations/phone */
export const phoneActivationRequestSchema = z.object({
  installationId: z.string().min(1).max(200),
});

export const phoneActivationResponseSchema = z.discriminatedUnion('activated', [
  z.object({
    activated: z.literal(true),
    confirmationId: z.string(),
    compact: z.string(),
    activation: activationRecordSchema,
  }),
  refusalSchema,
]);

/** GET /v1/catalog: the vendor's current signed catalog. */
export const catalogResponseSchema = z.object({
  version: z.number().int(),
  publishedAt: z.string(),
  signedCatalog: z.string(),
});

/** RFC 9457 problem details with our stable code. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  requestId: z.string().optional(),
  context: contextSchema.optional(),
});

export type Installation = z.infer<typeof installationSchema>;
export type OnlineActivationRequest = z.infer<typeof onlineActivationRequestSchema>;
export type OnlineActivationResponse = z.infer<typeof onlineActivationResponseSchema>;
export type PhoneActivationRequest = z.infer<typeof phoneActivationRequestSchema>;
export type PhoneActivationResponse = z.infer<typeof phoneActivationResponseSchema>;
export type ActivationRecord = z.infer<typeof activationRecordSchema>;
export type Refusal = z.infer<typeof refusalSchema>;
export type CatalogResponse = z.infer<typeof catalogResponseSchema>;
export type Problem = z.infer<typeof problemSchema>;
