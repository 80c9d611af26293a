import { createRoute, z } from '@hono/zod-openapi';
import { setBlocked } from '../../db/keys.js';
import { keyIdParams } from '../admin-schemas.js';
import type { App, AppDeps } from '../env.js';
import { adminSecurity, json, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const state = z.object({ id: z.number().int(), blocked: z.boolean() });

const route = createRoute({
  method: 'delete',
  path: '/v1/admin/keys/{id}/block',
  tags: ['administration'],
  summary: 'Unblock a key',
  security: adminSecurity,
  request: { params: keyIdParams },
  responses: { 200: json(state, 'the key is no longer blocked'), ...problems(400, 401, 403, 404) },
});

/** DELETE /v1/admin/keys/{id}/block */
export function registerKeyUnblock(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');

    const found = await setBlocked(deps.vdb.db, id, null);
    if (!found) return problem(c, 'http.not_found', `no key with id ${id}`);
    return c.json({ id, blocked: false }, 200);
  });
}
