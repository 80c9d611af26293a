import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { App, AppDeps, AppEnv } from './env.js';
import { addressLimit } from './middleware/address-limit.js';
import { adminAuth } from './middleware/admin-auth.js';
import { bodyLimitByLength } from './middleware/body-limit.js';
import { catalogRefresh } from './middleware/catalog-refresh.js';
import { requestContext } from './middleware/request-context.js';
import { singleQueryValues } from './middleware/single-query.js';
import { registerApiReference } from './pages/api-reference.js';
import { registerPhonePage } from './pages/phone-page.js';
import { type ProblemCode, problem } from './problem.js';
import { registerActivationRevoke } from './routes/activation-revoke.js';
import { registerCatalogGet } from './routes/catalog-get.js';
import { registerCatalogPublish } from './routes/catalog-publish.js';
import { registerHealth } from './routes/health.js';
import { registerKeyActivations } from './routes/key-activations.js';
import { registerKeyBlock } from './routes/key-block.js';
import { registerKeyUnblock } from './routes/key-unblock.js';
import { registerKeysList } from './routes/keys-list.js';
import { registerKeysMint } from './routes/keys-mint.js';
import { registerMachineActivations } from './routes/machine-activations.js';
import { registerOnlineActivation } from './routes/online-activation.js';
import { registerPhoneActivation } from './routes/phone-activation.js';

const ROUTES = [
  registerHealth,
  registerCatalogGet,
  registerOnlineActivation,
  registerPhoneActivation,
  registerCatalogPublish,
  registerKeysMint,
  registerKeysList,
  registerKeyBlock,
  registerKeyUnblock,
  registerKeyActivations,
  registerMachineActivations,
  registerActivationRevoke,
];

const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'slm activation service', version: '1' },
};

/** The vendor activation service as a Hono app; `app.request` drives it in tests. */
export function createApp(deps: AppDeps): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: invalidRequest });

  app.use('*', requestContext(deps));
  app.use('/v1/*', catalogRefresh(deps));
  app.use('/v1/activations/*', bodyLimitByLength(16 * 1024, tooLarge));
  app.use('/v1/activations/*', addressLimit(deps));
  app.use('/v1/admin/*', bodyLimitByLength(1024 * 1024, tooLarge));
  app.use('/v1/admin/*', adminAuth(deps));
  app.use('/v1/*', singleQueryValues());

  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
  });
  for (const register of ROUTES) register(app, deps);
  app.doc31('/openapi.json', DOCUMENT);
  registerApiReference(app, () => app.getOpenAPI31Document(DOCUMENT) as never);
  registerPhonePage(app, deps);

  app.notFound((c) => notFound(app, c));
  app.onError((error, c) => unexpected(deps, error, c));
  return app;
}

// Every problem of the request is named, so one round trip shows all there is to fix.
function invalidRequest(
  result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } },
  c: Context<AppEnv>,
) {
  if (result.success) return undefined;
  const issues = (result.error?.issues ?? []).slice(0, 10).map((issue) => {
    const where = issue.path.map(String).join('.') || 'request';
    return `${where}: ${issue.message}`;
  });
  return problem(c, 'http.bad_request', issues.join('; ') || 'invalid request');
}

function tooLarge(c: Context<AppEnv>) {
  return problem(c, 'http.payload_too_large', 'the request body is over the limit of this route');
}

// A path that exists under other methods is a 405 naming them, not a 404.
function notFound(app: App, c: Context<AppEnv>): Response {
  const allowed = new Set(
    app.routes
      .filter((route) => route.method !== 'ALL' && pathPattern(route.path).test(c.req.path))
      .map((route) => route.method),
  );
  if (allowed.size === 0) return problem(c, 'http.not_found');
  const methods = [...allowed].sort().join(', ');
  const answer = problem(c, 'http.method_not_allowed', `${c.req.method} is not one of ${methods}`);
  answer.headers.set('allow', methods);
  return answer;
}

function pathPattern(path: string): RegExp {
  const parts = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('/')}$`);
}

const HTTP_EXCEPTION_CODES: Record<number, ProblemCode> = {
  400: 'http.bad_request',
  401: 'http.unauthorized',
  403: 'http.forbidden',
  404: 'http.not_found',
  405: 'http.method_not_allowed',
  413: 'http.payload_too_large',
  415: 'http.unsupported_media_type',
};

function unexpected(deps: AppDeps, error: Error, c: Context<AppEnv>): Response {
  if (error instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[error.status] ?? 'http.bad_request';
    const detail =
      code === 'http.unsupported_media_type'
        ? 'send the body as JSON, with the header Content-Type: application/json'
        : error.message;
    return problem(c, code, detail);
  }
  deps.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'error',
      msg: 'unexpected error',
      requestId: c.get('requestId'),
      error: error.name,
      detail: error.message,
    }),
  );
  return problem(c, 'internal.unexpected');
}
