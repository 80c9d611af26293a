import { createRoute, z } from '@hono/zod-openapi';
import type { CatalogInput } from '@slm/core';
import type { App, AppDeps } from '../env.js';
import { adminSecurity, json, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const catalogBody = z
  .object({ vendor: z.object({ name: z.string() }).loose() })
  .loose()
  .openapi({ description: 'The catalog JSON as in catalog.json; vendor.publicKey is filled in.' });

const published = z.object({
  version: z.number().int(),
  publishedAt: z.string(),
  signedCatalog: z.string(),
});

const route = createRoute({
  method: 'put',
  path: '/v1/admin/catalog',
  tags: ['administration'],
  summary: 'Sign and publish the catalog',
  security: adminSecurity,
  request: { body: { ...json(catalogBody, 'the unsigned catalog'), required: true } },
  responses: {
    200: json(published, 'the published version'),
    ...problems(400, 401, 403, 413, 415, 422),
  },
});

/** PUT /v1/admin/catalog */
export function registerCatalogPublish(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const input = { ...body, vendor: { ...body.vendor, publicKey: deps.secrets.publicKey } };

    const result = await deps.catalogs.publish(
      deps.vdb.db,
      input as unknown as CatalogInput,
      deps.secrets.privateKeyPem,
      deps.now(),
    );
    if (!result.ok) return problem(c, result.error.code, result.error.message);

    const { version, publishedAt, signed } = result.value;
    return c.json(
      { version, publishedAt: new Date(publishedAt).toISOString(), signedCatalog: signed },
      200,
    );
  });
}
