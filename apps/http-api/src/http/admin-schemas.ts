import { z } from '@hono/zod-openapi';
import type { ActivationRow } from '../db/schema.js';

/** A minted key as administrators see it: partial key only. */
export const keySummarySchema = z.object({
  id: z.number().int(),
  partialKey: z.string(),
  channel: z.string(),
  skuCode: z.number().int(),
  serial: z.number().int(),
  activationLimit: z.number().int().nullable(),
  activationsUsed: z.number().int(),
  blocked: z.boolean(),
  blockedReason: z.string().nullable(),
  batchId: z.string(),
  createdAt: z.string(),
});

/** An activation as administrators see it. */
export const activationSummarySchema = z.object({
  id: z.string(),
  keyId: z.number().int(),
  machine: z.string(),
  method: z.string(),
  activationId: z.string(),
  extendedProductId: z.string(),
  activatedAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const keyIdParams = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export function activationSummary(row: ActivationRow): z.infer<typeof activationSummarySchema> {
  return {
    id: row.id,
    keyId: row.key_id,
    machine: row.machine,
    method: row.method,
    activationId: row.activation_id,
    extendedProductId: row.extended_product_id,
    activatedAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  };
}
