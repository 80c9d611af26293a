import { createRoute, z } from '@hono/zod-openapi';
import type { App, AppDeps } from '../env.js';
import { json } from '../openapi-common.js';

const health = z.object({ status: z.literal('ok'), catalogVersion: z.number().int().nullable() });

const route = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['service'],
  summary: 'Liveness and the published catalog version',
  responses: { 200: json(health, 'the service runs') },
});

/** GET /healthz */
export function registerHealth(app: App, deps: AppDeps): void {
  app.openapi(route, (c) =>
    c.json({ status: 'ok' as const, catalogVersion: deps.catalogs.current?.version ?? null }, 200),
  );
}
