import { createRoute } from '@hono/zod-openapi';
import { ACTIVATION_PATHS, catalogResponseSchema } from '@slm/activation-client';
import type { App, AppDeps } from '../env.js';
import { json, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const route = createRoute({
  method: 'get',
  path: ACTIVATION_PATHS.catalog,
  tags: ['catalog'],
  summary: 'The current signed catalog',
  description: 'Products, SKUs and the service URL, signed by the vendor key.',
  responses: { 200: json(catalogResponseSchema, 'the signed catalog'), ...problems(503) },
});

/** GET /v1/catalog */
export function registerCatalogGet(app: App, deps: AppDeps): void {
  app.openapi(route, (c) => {
    const current = deps.catalogs.current;
    if (current === null) return problem(c, 'http.catalog_missing');
    return c.json(
      {
        version: current.version,
        publishedAt: new Date(current.publishedAt).toISOString(),
        signedCatalog: current.signed,
      },
      200,
    );
  });
}
