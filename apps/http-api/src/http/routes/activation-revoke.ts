import { createRoute, z } from '@hono/zod-openapi';
import { revokeActivation } from '../../db/activations.js';
import type { App, AppDeps } from '../env.js';
import { adminSecurity, json, problemAnswer, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const params = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The activation record id' }),
});
const state = z.object({ id: z.string(), revoked: z.boolean() });

const route = createRoute({
  method: 'post',
  path: '/v1/admin/activations/{id}/revoke',
  tags: ['administration'],
  summary: 'Revoke an activation',
  description:
    'Frees one activation of the key; the machine must activate again to use it. An unknown ' +
    'id is 404 http.not_found; an activation already revoked is 409 http.conflict.',
  security: adminSecurity,
  request: { params },
  responses: {
    200: json(state, 'revoked'),
    ...problems(400, 401, 403),
    404: problemAnswer('no activation has this id'),
    409: problemAnswer('the activation is already revoked'),
  },
});

/** POST /v1/admin/activations/{id}/revoke */
export function registerActivationRevoke(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');

    const revoked = await revokeActivation(deps.vdb.db, id, deps.now());
    if (revoked) return c.json({ id, revoked: true }, 200);

    if (await exists(deps, id)) {
      return problem(c, 'http.conflict', `activation ${id} is already revoked`);
    }
    return problem(c, 'http.not_found', `no activation ${id}`);
  });
}

// Only asked after a revoke changed nothing: the row is then either revoked or absent.
async function exists(deps: AppDeps, id: string): Promise<boolean> {
  const row = await deps.vdb.db
    .selectFrom('activations')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}
