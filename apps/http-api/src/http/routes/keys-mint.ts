import { createRoute, z } from '@hono/zod-openapi';
import { CHANNELS, findSkuByCode } from '@slm/core';
import { mintBatch } from '../../admin/mint.js';
import { mintOrderSchema } from '../../admin/mint-order.js';
import type { App, AppDeps } from '../env.js';
import { adminSecurity, json, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const minted = z.object({
  batchId: z.string(),
  channel: z.enum(CHANNELS),
  skuCode: z.number().int(),
  activationLimit: z.number().int().nullable(),
  keys: z.array(z.string()).openapi({ description: 'The full keys: shown only in this answer.' }),
});

const route = createRoute({
  method: 'post',
  path: '/v1/admin/keys',
  tags: ['administration'],
  summary: 'Mint a batch of product keys',
  description:
    'MAK and volume host keys get an activation limit (the SKU default unless given); ' +
    'other channels take none.',
  security: adminSecurity,
  request: { body: { ...json(mintOrderSchema, 'what to mint'), required: true } },
  responses: {
    201: json(minted, 'the minted keys'),
    ...problems(400, 401, 403, 404, 413, 415, 422, 503),
  },
});

/** POST /v1/admin/keys */
export function registerKeysMint(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');

    const catalog = deps.catalogs.current;
    if (catalog === null) return problem(c, 'http.catalog_missing');
    const found = findSkuByCode(catalog.catalog, body.skuCode);
    if (found === null) return problem(c, 'product.not_found', `no SKU ${body.skuCode}`);

    const order = { ...body, sku: found.sku };
    const batch = await mintBatch(deps.vdb, deps.secrets.keySecret, order, deps.now());
    if (!batch.ok) return problem(c, batch.error.code, batch.error.message);
    c.header('cache-control', 'no-store');
    return c.json(batch.value, 201);
  });
}
