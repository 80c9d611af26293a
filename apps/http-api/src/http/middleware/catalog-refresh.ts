import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../env.js';

/** Keeps the in-memory catalog in step with the database, checking at most once a second. */
export function catalogRefresh(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (_c, next) => {
    await deps.catalogs.refresh(deps.vdb.db, deps.secrets.publicKey, deps.now());
    await next();
  };
}
