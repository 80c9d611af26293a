import { createRoute, z } from '@hono/zod-openapi';
import { CHANNELS } from '@slm/core';
import { searchKeys } from '../../db/keys.js';
import { keySummarySchema } from '../admin-schemas.js';
import type { App, AppDeps } from '../env.js';
import { adminSecurity, json, problems } from '../openapi-common.js';

const query = z.object({
  partial: z
    .string()
    // Never the whole key: a URL ends up in proxy and browser logs.
    .regex(/^[A-Za-z0-9]{1,5}$/, {
      message:
        'give the last five symbols of the key, or part of them (e.g. KHYFJ), not the whole key',
    })
    .optional()
    .openapi({ description: 'Part of the last five symbols of the key' }),
  skuCode: z.coerce.number().int().min(0).max(65_535).optional(),
  channel: z.enum(CHANNELS).optional(),
  blocked: z.enum(['true', 'false']).optional(),
  after: z.coerce.number().int().min(0).default(0).openapi({ description: 'Cursor: last id seen' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const page = z.object({ keys: z.array(keySummarySchema), next: z.number().int().nullable() });

const route = createRoute({
  method: 'get',
  path: '/v1/admin/keys',
  tags: ['administration'],
  summary: 'List and search minted keys',
  security: adminSecurity,
  request: { query },
  responses: { 200: json(page, 'a page of keys'), ...problems(400, 401, 403) },
});

/** GET /v1/admin/keys */
export function registerKeysList(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');

    const rows = await searchKeys(deps.vdb.db, {
      partial: q.partial?.toUpperCase(),
      skuCode: q.skuCode,
      channel: q.channel,
      blocked: q.blocked === undefined ? undefined : q.blocked === 'true',
      afterId: q.after,
      limit: q.limit,
    });

    const keys = rows.map((row) => ({
      id: row.id,
      partialKey: row.partial,
      channel: row.channel,
      skuCode: row.sku_code,
      serial: row.serial,
      activationLimit: row.activation_limit,
      activationsUsed: Number(row.used ?? 0),
      blocked: row.blocked !== 0,
      blockedReason: row.blocked_reason,
      batchId: row.batch_id,
      createdAt: new Date(row.created_at).toISOString(),
    }));
    const last = keys.at(-1);
    return c.json({ keys, next: keys.length === q.limit && last ? last.id : null }, 200);
  });
}
