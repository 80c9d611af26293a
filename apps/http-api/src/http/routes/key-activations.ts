import { createRoute, z } from '@hono/zod-openapi';
import { activationsOfKey } from '../../db/activations.js';
import { findKeyById } from '../../db/keys.js';
import { activationSummary, activationSummarySchema, keyIdParams } from '../admin-schemas.js';
import type { App, AppDeps } from '../env.js';
import { adminSecurity, json, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const list = z.object({ activations: z.array(activationSummarySchema) });

const route = createRoute({
  method: 'get',
  path: '/v1/admin/keys/{id}/activations',
  tags: ['administration'],
  summary: 'Activations of a key',
  security: adminSecurity,
  request: { params: keyIdParams },
  responses: { 200: json(list, 'every activation, revoked ones too'), ...problems(401, 403, 404) },
});

/** GET /v1/admin/keys/{id}/activations */
export function registerKeyActivations(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');

    const key = await findKeyById(deps.vdb.db, id);
    if (key === undefined) return problem(c, 'http.not_found', `no key with id ${id}`);
    const rows = await activationsOfKey(deps.vdb.db, id);
    return c.json({ activations: rows.map(activationSummary) }, 200);
  });
}
