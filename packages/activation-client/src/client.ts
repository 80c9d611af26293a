import type { z } from 'zod';
import { type ClientFailure, type ClientResult, failureFromThrown } from './failure.js';
import {
  type CatalogResponse,
  catalogResponseSchema,
  type OnlineActivationRequest,
  type OnlineActivationResponse,
  onlineActivationResponseSchema,
  type PhoneActivationRequest,
  type PhoneActivationResponse,
  phoneActivationResponseSchema,
  problemSchema,
} from './schemas.js';
import { maySendCredentials } from './transport.js';

/** Routes of the activation protocol, relative to the service URL. */
export const ACTIVATION_PATHS = {
  online: '/v1/activations/online',
  phone: '/v1/activations/phone',
  catalog: '/v1/catalog',
} as const;

export interface ActivationClientOptions {
  /** The service URL, as the catalog's `serviceUrl` names it. */
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  /** Bearer token; sent only over https or to loopback. */
  readonly token?: string;
  readonly fetch?: typeof globalThis.fetch;
}

/** A client of the vendor activation service. */
export interface ActivationClient {
  activateOnline(request: OnlineActivationRequest): Promise<ClientResult<OnlineActivationResponse>>;
  activatePhone(request: PhoneActivationRequest): Promise<ClientResult<PhoneActivationResponse>>;
  catalog(): Promise<ClientResult<CatalogResponse>>;
}

/** Creates a client; every call answers with a verdict or a failure, and never throws. */
export function createActivationClient(options: ActivationClientOptions): ActivationClient {
  const call = caller(options);
  return {
    activateOnline: (request) =>
      call(ACTIVATION_PATHS.online, onlineActivationResponseSchema, request),
    activatePhone: (request) =>
      call(ACTIVATION_PATHS.phone, phoneActivationResponseSchema, request),
    catalog: () => call(ACTIVATION_PATHS.catalog, catalogResponseSchema),
  };
}

function caller(options: ActivationClientOptions) {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  return async <T>(
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<ClientResult<T>> => {
    const url = new URL(path.slice(1), withTrailingSlash(options.baseUrl));
    const insecure = checkTransport(url, options.token);
    if (insecure) return { ok: false, failure: insecure };

    let response: Response;
    for (let attempt = 1; ; attempt++) {
      try {
        response = await doFetch(url, requestInit(body, options.token, timeoutMs));
      } catch (thrown) {
        return { ok: false, failure: failureFromThrown(thrown, url.origin, timeoutMs) };
      }
      // Activation is idempotent (the same machine and key get the same answer), so a request
      // the service asked to send again a little later is sent again, a few times at most.
      const wait = retryAfterMs(response);
      if (wait === null || attempt >= RATE_LIMIT_ATTEMPTS) break;
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, wait));
    }

    return readAnswer(response, schema);
  };
}

/** How many times a request the service rate-limits is sent, in all. */
const RATE_LIMIT_ATTEMPTS = 3;
/** The longest wait asked for that is still waited out; longer ones are reported instead. */
const LONGEST_WAIT_MS = 5_000;

/** The wait a 429 answer asks for (Retry-After, in seconds), if it is short enough to wait out. */
function retryAfterMs(response: Response): number | null {
  if (response.status !== 429) return null;
  const seconds = retryAfterSeconds(response);
  return seconds !== null && seconds * 1000 <= LONGEST_WAIT_MS ? seconds * 1000 : null;
}

function retryAfterSeconds(response: Response): number | null {
  const header = response.headers.get('retry-after')?.trim() ?? '';
  return /^\d{1,6}$/.test(header) ? Number(header) : null;
}

function checkTransport(url: URL, token: string | undefined): ClientFailure | null {
  if (token === undefined || maySendCredentials(url)) return null;
  return {
    kind: 'insecure',
    message: `refusing to send credentials over plain HTTP to ${url.host}; use https`,
  };
}

function requestInit(body: unknown, token: string | undefined, timeoutMs: number): RequestInit {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    signal: AbortSignal.timeout(timeoutMs),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

async function readAnswer<T>(response: Response, schema: z.ZodType<T>): Promise<ClientResult<T>> {
  const json = await response.json().catch(() => undefined);
  if (!response.ok) return { ok: false, failure: httpFailure(response, json) };

  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    failure: { kind: 'protocol', message: 'the service answered outside the activation protocol' },
  };
}

function httpFailure(response: Response, json: unknown): ClientFailure {
  const problem = problemSchema.safeParse(json);
  const requestId = response.headers.get('x-request-id');
  if (!problem.success) {
    const message = `the service answered HTTP ${response.status}`;
    return { kind: 'http', message, status: response.status, code: 'http.unknown', requestId };
  }
  const { code, title, detail } = problem.data;
  const seconds = response.status === 429 ? retryAfterSeconds(response) : null;
  const later = seconds === null ? '' : `; the service asks to try again in ${seconds} s`;
  const message = `${detail ?? title}${later}`;
  return { kind: 'http', message, status: response.status, code, requestId };
}

function withTrailingSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}
