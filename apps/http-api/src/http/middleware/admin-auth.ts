import type { MiddlewareHandler } from 'hono';
import { isLoopbackHost } from '../../config.js';
import { roleOfToken } from '../../vendor/tokens.js';
import type { AppDeps, AppEnv } from '../env.js';
import { problem } from '../problem.js';

// RFC 9110: the scheme is case-insensitive and one or more spaces (we also take tabs) come
// before the credentials, a token68.
const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i;

/**
 * Admits only requests with an administrator token. Without TLS, tokens are accepted only from
 * this machine, so a token never crosses a network in clear text.
 */
export function adminAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const address = c.get('clientAddress');
    if (!deps.tls && address !== 'in-process' && !isLoopbackHost(unmapped(address))) {
      return problem(c, 'http.insecure_transport', 'serve over TLS to administer from elsewhere');
    }
    const header = c.req.header('authorization') ?? '';
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) return problem(c, 'http.unauthorized', 'send Authorization: Bearer');

    const role = await roleOfToken(deps.vdb.db, token);
    if (role === null) return problem(c, 'http.unauthorized', 'the token is not valid');
    if (role !== 'admin') return problem(c, 'http.forbidden');
    await next();
    return undefined;
  };
}

function unmapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
