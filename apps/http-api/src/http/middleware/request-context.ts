import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../env.js';

/**
 * Gives each request an id and a client address, and writes one JSON line when it ends:
 * method, route pattern, status, duration and request id. The route is the pattern, not the
 * URL, and no body or header is logged, so no key, token or signature can reach the log.
 */
export function requestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    c.set('requestId', requestId);
    c.set('clientAddress', c.env?.incoming?.socket.remoteAddress ?? 'in-process');
    c.header('x-request-id', requestId);
    await next();
    if (!deps.logRequests) return;
    deps.log(
      JSON.stringify({
        time: new Date().toISOString(),
        level: c.res.status >= 500 ? 'error' : 'info',
        msg: 'request',
        requestId,
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      }),
    );
  };
}
