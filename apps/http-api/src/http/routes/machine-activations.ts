import { createRoute, z } from '@hono/zod-openapi';
import { activationsOfMachine } from '../../db/activations.js';
import { activationSummary, activationSummarySchema } from '../admin-schemas.js';
import type { App, AppDeps } from '../env.js';
import { adminSecurity, json, problems } from '../openapi-common.js';

const params = z.object({
  machine: z
    .string()
    .regex(/^[0-9a-f]{16}([0-9a-f]{16})?$/)
    .openapi({
      param: { name: 'machine', in: 'path' },
      description: 'The machine fingerprint, or its first 16 hex digits',
    }),
});

const list = z.object({ activations: z.array(activationSummarySchema) });

const route = createRoute({
  method: 'get',
  path: '/v1/admin/machines/{machine}/activations',
  tags: ['administration'],
  summary: 'Activations of a machine',
  security: adminSecurity,
  request: { params },
  responses: { 200: json(list, 'every activation of the machine'), ...problems(400, 401, 403) },
});

/** GET /v1/admin/machines/{machine}/activations */
export function registerMachineActivations(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const { machine } = c.req.valid('param');

    const rows = await activationsOfMachine(deps.vdb.db, machine);
    return c.json({ activations: rows.map(activationSummary) }, 200);
  });
}
