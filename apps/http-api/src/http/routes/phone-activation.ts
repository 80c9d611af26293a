import { createRoute, z } from '@hono/zod-openapi';
import {
  ACTIVATION_PATHS,
  type PhoneActivationResponse,
  phoneActivationRequestSchema,
  phoneActivationResponseSchema,
} from '@slm/activation-client';
import { parseInstallationId } from '@slm/core';
import { activatePhone } from '../../activation/phone.js';
import type { App, AppDeps } from '../env.js';
import { tooMany } from '../middleware/address-limit.js';
import { keyBucket } from '../middleware/rate-limit.js';
import { json, problems } from '../openapi-common.js';
import { type ProblemCode, problem } from '../problem.js';

// An empty Installation ID gets the verdict a blank one gets (iid.length, 0 of 54 digits), as a
// blank product key gets key.empty: what was typed is wrong, the request is not.
const requestSchema = phoneActivationRequestSchema.extend({ installationId: z.string().max(200) });

const route = createRoute({
  method: 'post',
  path: ACTIVATION_PATHS.phone,
  tags: ['activation'],
  summary: 'Turn an Installation ID into a Confirmation ID',
  description:
    'Phone activation with the same limits and reasons as online activation. A mistyped ' +
    'Installation ID is refused with iid.check_digit and the number of the group to fix.',
  request: {
    body: { ...json(requestSchema, 'the Installation ID'), required: true },
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

    const answer = await answerPhone(deps, request.installationId);
    if (answer.kind === 'verdict') return c.json(answer.verdict, 200);
    if (answer.code === 'http.rate_limited') return tooMany(c, answer.waitMs, answer.detail);
    return problem(c, answer.code, answer.detail);
  });
}

/** What a phone activation request gets: a verdict, or a problem when it cannot be answered. */
export type PhoneAnswer =
  | { readonly kind: 'verdict'; readonly verdict: PhoneActivationResponse }
  | {
      readonly kind: 'problem';
      readonly code: ProblemCode;
      readonly detail: string;
      readonly waitMs: number;
    };

/**
 * The steps after the address limit, shared by this route and the form of the /phone page so
 * both keep the same per-key limit: catalog → per-key limit → activate.
 */
export async function answerPhone(deps: AppDeps, installationId: string): Promise<PhoneAnswer> {
  const catalog = deps.catalogs.current;
  if (catalog === null) {
    return {
      kind: 'problem',
      code: 'http.catalog_missing',
      detail: 'no catalog has been published yet',
      waitMs: 0,
    };
  }
  const waitMs = deps.limits.perKey.take(iidBucket(installationId), deps.now());
  if (waitMs > 0) {
    const detail = 'too many activation requests for this key';
    return { kind: 'problem', code: 'http.rate_limited', detail, waitMs };
  }
  return {
    kind: 'verdict',
    verdict: await activatePhone(deps, catalog.catalog, { installationId }),
  };
}

// Per key, as online: the IID names the key by SKU, channel and serial.
function iidBucket(installationId: string): string {
  const iid = parseInstallationId(installationId);
  return iid.ok ? keyBucket(iid.value) : 'iid:unreadable';
}
