import { z } from '@hono/zod-openapi';
import { CHANNELS, type Channel } from '@slm/core';

/** The channels whose keys carry an activation limit; the others activate without one. */
export const LIMITED_CHANNELS: readonly Channel[] = ['mak', 'volume_host'];

/**
 * What to mint, as `POST /v1/admin/keys` and `slm-api keys mint` both take it, so the two
 * accept and refuse the same orders.
 */
export const mintOrderSchema = z
  .object({
    skuCode: z.number().int().min(0).max(65_535),
    channel: z.enum(CHANNELS),
    count: z.number().int().min(1).max(10_000),
    activationLimit: z.number().int().min(1).max(10_000_000).nullable().optional(),
  })
  .superRefine((order, ctx) => {
    if (order.activationLimit == null || LIMITED_CHANNELS.includes(order.channel)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['activationLimit'],
      message: `only MAK and volume host keys have an activation limit, not ${order.channel} keys`,
    });
  });

export type MintOrderInput = z.infer<typeof mintOrderSchema>;
