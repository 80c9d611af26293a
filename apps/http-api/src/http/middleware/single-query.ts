import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { problem } from '../problem.js';

/**
 * Refuses a query parameter given more than once (`?limit=1&limit=2`), naming it: no route
 * takes a list there, and the validators would otherwise see an array and answer with a
 * confusing "expected number, received NaN".
 */
export function singleQueryValues(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const repeated = c.req.url.includes('?') ? firstRepeated(c.req.queries()) : undefined;
    if (repeated !== undefined) {
      return problem(c, 'http.bad_request', `${repeated.slice(0, 64)}: give it once`);
    }
    await next();
    return undefined;
  };
}

function firstRepeated(queries: Record<string, string[]>): string | undefined {
  return Object.entries(queries).find(([, values]) => values.length > 1)?.[0];
}
