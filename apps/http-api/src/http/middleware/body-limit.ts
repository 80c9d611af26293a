import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.js';

/**
 * Refuses request bodies over `maxSize` bytes. A body with a Content-Length is judged by the
 * header alone (Node's parser never delivers more than it announces), so its bytes stay unread
 * for the route; only a chunked body is counted as it streams, by Hono's own limit. Hono's
 * limit touches `req.raw.body` even when the header settles it, which makes @hono/node-server
 * build a fetch Request and a web stream around every activation instead of reading the socket
 * directly (about a tenth of an activation's time under load).
 */
export function bodyLimitByLength(
  maxSize: number,
  onError: (c: Context<AppEnv>) => Response,
): MiddlewareHandler<AppEnv> {
  const streamed = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) {
      return streamed(c, next);
    }
    if (Number.parseInt(length, 10) > maxSize) return onError(c);
    await next();
    return undefined;
  };
}
