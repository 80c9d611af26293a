import type { ErrorCode, ErrorContext } from '@slm/core';
import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Codes only the HTTP adapter produces, beside core's closed list. */
export const HTTP_CODES = [
  'http.bad_request',
  'http.unauthorized',
  'http.forbidden',
  'http.insecure_transport',
  'http.not_found',
  'http.conflict',
  'http.method_not_allowed',
  'http.payload_too_large',
  'http.headers_too_large',
  'http.unsupported_media_type',
  'http.rate_limited',
  'http.catalog_missing',
] as const;

export type HttpCode = (typeof HTTP_CODES)[number];
export type ProblemCode = ErrorCode | HttpCode;

/** Every code's HTTP status; adding a code fails the type check until it is mapped here. */
export const STATUS_OF: Record<ProblemCode, ContentfulStatusCode> = {
  'key.empty': 422,
  'key.length': 422,
  'key.group_count': 422,
  'key.symbol': 422,
  'key.checksum': 422,
  'key.version': 422,
  'key.forged': 422,
  'key.blocked': 409,
  'key.wrong_product': 422,
  'key.wrong_channel': 422,
  'key.not_installed': 404,
  'key.limit_reached': 409,
  'product.not_found': 404,
  'catalog.malformed': 422,
  'catalog.signature': 422,
  'catalog.untrusted': 422,
  'grant.malformed': 422,
  'grant.version': 422,
  'grant.signature': 422,
  'grant.untrusted': 422,
  'grant.wrong_machine': 422,
  'grant.wrong_key': 422,
  'grant.wrong_product': 422,
  'grant.expired': 422,
  'grant.not_yet_valid': 422,
  'iid.format': 422,
  'iid.length': 422,
  'iid.check_digit': 422,
  'iid.version': 422,
  'cid.format': 422,
  'cid.length': 422,
  'cid.check_digit': 422,
  'cid.mismatch': 422,
  'rearm.limit_reached': 409,
  'rearm.disabled': 409,
  'rearm.nothing_installed': 409,
  'setting.invalid': 422,
  'setting.out_of_range': 422,
  'setting.not_volume_host': 409,
  'setting.unsupported': 422,
  'activation.not_needed': 409,
  'activation.token_only': 409,
  'activation.method_disabled': 409,
  'activation.unavailable': 503,
  'store.corrupt': 500,
  'store.permission': 500,
  'store.busy': 503,
  'store.not_initialised': 500,
  'internal.unexpected': 500,
  'http.bad_request': 400,
  'http.unauthorized': 401,
  'http.forbidden': 403,
  'http.insecure_transport': 403,
  'http.not_found': 404,
  'http.conflict': 409,
  'http.method_not_allowed': 405,
  'http.payload_too_large': 413,
  'http.headers_too_large': 431,
  'http.unsupported_media_type': 415,
  'http.rate_limited': 429,
  'http.catalog_missing': 503,
};

const TITLES: Partial<Record<ProblemCode, string>> = {
  'http.bad_request': 'The request is not valid',
  'http.unauthorized': 'A valid API token is needed',
  'http.forbidden': 'The token may not do this',
  'http.insecure_transport': 'Credentials must not travel over plain HTTP',
  'http.not_found': 'No such resource',
  'http.conflict': 'The resource is not in a state that allows this',
  'http.method_not_allowed': 'This resource does not take that method',
  'http.payload_too_large': 'The request body is too large',
  'http.headers_too_large': 'The request headers are too large',
  'http.unsupported_media_type': 'The body must be JSON',
  'http.rate_limited': 'Too many requests',
  'http.catalog_missing': 'No catalog has been published yet',
  'internal.unexpected': 'Something went wrong on our side',
};

// Core's codes are titled by their family; the detail says what exactly.
const FAMILY_TITLES: Readonly<Record<string, string>> = {
  key: 'The product key cannot be used',
  product: 'The vendor does not offer this product',
  catalog: 'The catalog is not valid',
  grant: 'The grant is not valid',
  iid: 'The Installation ID is not valid',
  cid: 'The Confirmation ID is not valid',
  rearm: 'Rearm is not possible',
  setting: 'The setting is not valid',
  activation: 'Activation is not possible',
  store: 'The service store cannot be used',
};

/** The human title of a problem code. */
export function titleOf(code: ProblemCode): string {
  return TITLES[code] ?? FAMILY_TITLES[code.split('.')[0] ?? ''] ?? code;
}

/**
 * A problem answer. Typed as fitting any declared response so a route handler can return it
 * beside its typed success; the problem statuses are declared in each route's `responses`.
 */
export type ProblemResponse = Response & TypedResponse<never, never, 'json'>;

/** Answers with application/problem+json carrying a stable code. */
export function problem(
  c: Context,
  code: ProblemCode,
  detail?: string,
  context?: ErrorContext,
): ProblemResponse {
  const status = STATUS_OF[code];
  const body = {
    type: `https://slm.invalid/problems/${code}`,
    title: titleOf(code),
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...(context === undefined ? {} : { context }),
    requestId: c.get('requestId') as string | undefined,
  };
  const headers = { 'content-type': 'application/problem+json' };
  return c.body(JSON.stringify(body), status, headers) as unknown as ProblemResponse;
}
