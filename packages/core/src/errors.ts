/**
 * The closed list of stable error codes. A code is part of the public API: renaming one is a
 * breaking change. Messages may change; codes may not. Adapters map every code exhaustively.
 */
export const ERROR_CODES = [
  // product keys: format, then what only the vendor can tell
  'key.empty',
  'key.length',
  'key.group_count',
  'key.symbol',
  'key.checksum',
  'key.version',
  'key.forged',
  'key.blocked',
  'key.wrong_product',
  'key.wrong_channel',
  'key.not_installed',
  'key.limit_reached',
  // products and catalogs
  'product.not_found',
  'catalog.malformed',
  'catalog.signature',
  'catalog.untrusted',
  // signed documents: grants, certificates, issuance licences
  'grant.malformed',
  'grant.version',
  'grant.signature',
  'grant.untrusted',
  'grant.wrong_machine',
  'grant.wrong_key',
  'grant.wrong_product',
  'grant.expired',
  'grant.not_yet_valid',
  // phone activation
  'iid.format',
  'iid.length',
  'iid.check_digit',
  'iid.version',
  'cid.format',
  'cid.length',
  'cid.check_digit',
  'cid.mismatch',
  // rearm
  'rearm.limit_reached',
  'rearm.disabled',
  'rearm.nothing_installed',
  // machine settings
  'setting.invalid',
  'setting.out_of_range',
  'setting.not_volume_host',
  'setting.unsupported',
  // activation outcomes that are refusals
  'activation.not_needed',
  'activation.token_only',
  'activation.method_disabled',
  'activation.unavailable',
  // stores
  'store.corrupt',
  'store.permission',
  'store.busy',
  'store.not_initialised',
  // a bug: something that should never happen
  'internal.unexpected',
] as const;

/** A stable error code from the closed list. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Typed details that travel with an error; never a full product key, token or private key. */
export type ErrorContext = Readonly<Record<string, string | number | boolean | null>>;

/** The one error type: a stable code, a human message and typed context. */
export class SlmError extends Error {
  override readonly name = 'SlmError';
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message);
    this.code = code;
    this.context = context;
  }

  /** A plain object for JSON output: code, message and context. */
  toJSON(): { code: ErrorCode; message: string; context: ErrorContext } {
    return { code: this.code, message: this.message, context: this.context };
  }
}

/** Tells whether a string is one of the stable error codes. */
export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}
