import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../env.js';
import { problem } from '../problem.js';

/** Rate-limits activation requests per client address. */
export function addressLimit(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const wait = deps.limits.perAddress.take(c.get('clientAddress'), deps.now());
    if (wait > 0) return tooMany(c, wait, 'too many activation requests from this address');
    await next();
    return undefined;
  };
}

/** A 429 problem with Retry-After in seconds. */
export function tooMany(
  c: Parameters<MiddlewareHandler<AppEnv>>[0],
  waitMs: number,
  detail: string,
) {
  c.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
  return problem(c, 'http.rate_limited', detail);
}
