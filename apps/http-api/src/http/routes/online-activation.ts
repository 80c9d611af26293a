import { createRoute } from '@hono/zod-openapi';
import {
  ACTIVATION_PATHS,
  onlineActivationRequestSchema,
  onlineActivationResponseSchema,
} from '@slm/activation-client';
import { activateOnline, parseKey } from '../../activation/online.js';
import type { App, AppDeps } from '../env.js';
import { tooMany } from '../middleware/address-limit.js';
import { keyBucket } from '../middleware/rate-limit.js';
import { json, problems } from '../openapi-common.js';
import { problem } from '../problem.js';

const route = createRoute({
  method: 'post',
  path: ACTIVATION_PATHS.online,
  tags: ['activation'],
  summary: 'Activate a machine online',
  description:
    'Checks the product key and its limits and answers with a grant signed by the vendor key and ' +
    'bound to the machine. Asking again from the same machine returns the same grant and uses ' +
    'nothing up. A refused key is an answer (activated: false) with a reason code.',
  request: { body: { ...json(onlineActivationRequestSchema, 'key and machine'), required: true } },
  responses: {
    200: json(onlineActivationResponseSchema, 'the grant, or a refusal with its reason'),
    ...problems(400, 413, 415, 429, 503),
  },
});

/** POST /v1/activations/online */
export function registerOnlineActivation(app: App, deps: AppDeps): void {
  app.openapi(route, async (c) => {
    const request = c.req.valid('json');

    const catalog = deps.catalogs.current;
    if (catalog === null) return problem(c, 'http.catalog_missing');
    // A key that does not parse is refused without touching the database; the address limit
    // covers those.
    const key = parseKey(request.key);
    if (key.ok) {
      const wait = deps.limits.perKey.take(keyBucket(key.value), deps.now());
      if (wait > 0) return tooMany(c, wait, 'too many activation requests for this key');
    }

    return c.json(await activateOnline(deps, catalog.catalog, request, key), 200);
  });
}
