import { createRoute, z } from '@hono/zod-openapi';
import { setBlocked } from '../../db/keys.js';
import { keyIdParams } from '../admin-schemas.js';
import type { App, AppDeps } from '../env.js';
import { adminSecurity, json, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const reason = z.object({ reason: z.string().min(1).max(200) });
const state = z.object({ id: z.number().int(), blocked: z.boolean() });

const route = createRoute({
  method: 'put',
  path: '/v1/admin/keys/{id}/block',
  tags: ['administration'],
  summary: 'Block a key',
  description: 'A blocked key is refused with key.blocked; existing grants stay on machines.',
  security: adminSecurity,
  request: { params: keyIdParams, body: { ...json(reason, 'why'), required: true } },
  responses: { 200: json(state, 'the key is blocked'), ...problems(400, 401, 403, 404) },
});

/** PUT /v1/admin/keys/{id}/block */
export function registerKeyBlock(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');

    const found = await setBlocked(deps.vdb.db, id, body.reason);
    if (!found) return problem(c, 'http.not_found', `no key with id ${id}`);
    return c.json({ id, blocked: true }, 200);
  });
}
