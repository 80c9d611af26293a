import { createRoute } from '@hono/zod-openapi';
import {
  ACTIVATION_PATHS,
  phoneActivationRequestSchema,
  phoneActivationResponseSchema,
} from '@slm/activation-client';
import { parseInstallationId } from '@slm/core';
import { activatePhone } from '../../activation/phone.js';
import type { App, AppDeps } from '../env.js';
import { tooMany } from '../middleware/address-limit.js';
import { keyBucket } from '../middleware/rate-limit.js';
import { json, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const route = createRoute({
  method: 'post',
  path: ACTIVATION_PATHS.phone,
  tags: ['activation'],
  summary: 'Turn an Installation ID into a Confirmation ID',
  description:
    'Phone activation with the same limits and reasons as online activation. A mistyped ' +
    'Installation ID is refused with iid.check_digit and the number of the group to fix.',
  request: {
    body: { ...json(phoneActivationRequestSchema, 'the Installation ID'), required: true },
  },
  responses: {
    200: json(phoneActivationResponseSchema, 'the Confirmation ID, or a refusal with its reason'),
    ...problems(400, 413, 415, 429, 503),
  },
});

/** POST /v1/activations/phone */
export function registerPhoneActivation(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const request = c.req.valid('json');

    const catalog = deps.catalogs.current;
    if (catalog === null) return problem(c, 'http.catalog_missing');
    const wait = deps.limits.perKey.take(iidBucket(request.installationId), deps.now());
    if (wait > 0) return tooMany(c, wait, 'too many activation requests for this key');

    return c.json(await activatePhone(deps, catalog.catalog, request), 200);
  });
}

// Per key, as online: the IID names the key by SKU, channel and serial.
function iidBucket(installationId: string): string {
  const iid = parseInstallationId(installationId);
  return iid.ok ? keyBucket(iid.value) : 'iid:unreadable';
}
