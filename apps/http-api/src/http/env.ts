import type { IncomingMessage } from 'node:http';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ActivationDeps } from '../activation/deps.js';
import type { RateLimiter } from './middleware/rate-limit.js';

/** One line of structured log output. */
export type LogWriter = (line: string) => void;

/** Everything the routes use, injected so tests drive the real app in-process. */
export interface AppDeps extends ActivationDeps {
  readonly log: LogWriter;
  readonly limits: { readonly perAddress: RateLimiter; readonly perKey: RateLimiter };
  /** True when the service is served over TLS, so credentials may come from anywhere. */
  readonly tls: boolean;
  readonly logRequests: boolean;
}

/** The Hono environment: node-server bindings and per-request variables. */
export interface AppEnv {
  Bindings: { incoming?: IncomingMessage };
  Variables: { requestId: string; clientAddress: string };
}

export type App = OpenAPIHono<AppEnv>;
