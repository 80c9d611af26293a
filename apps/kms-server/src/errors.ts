import { type ErrorCode, SlmError } from '@slm/core';
import type { ErrorProblem } from '@slm/kms-protocol';

/**
 * How each stable error code reaches a client when it escapes while answering: the problem of
 * the error frame that closes the connection. Exhaustive, so a new code fails the type check
 * until it is mapped here.
 */
export const PROTOCOL_PROBLEM: Record<ErrorCode, ErrorProblem> = {
  'key.empty': 'malformed',
  'key.length': 'malformed',
  'key.group_count': 'malformed',
  'key.symbol': 'malformed',
  'key.checksum': 'malformed',
  'key.version': 'malformed',
  'key.forged': 'malformed',
  'key.blocked': 'malformed',
  'key.wrong_product': 'malformed',
  'key.wrong_channel': 'malformed',
  'key.not_installed': 'malformed',
  'key.limit_reached': 'malformed',
  'product.not_found': 'malformed',
  'catalog.malformed': 'internal',
  'catalog.signature': 'internal',
  'catalog.untrusted': 'internal',
  'grant.malformed': 'malformed',
  'grant.version': 'bad_version',
  'grant.signature': 'malformed',
  'grant.untrusted': 'malformed',
  'grant.wrong_machine': 'malformed',
  'grant.wrong_key': 'malformed',
  'grant.wrong_product': 'malformed',
  'grant.expired': 'internal',
  'grant.not_yet_valid': 'internal',
  'iid.format': 'malformed',
  'iid.length': 'malformed',
  'iid.check_digit': 'malformed',
  'iid.version': 'malformed',
  'cid.format': 'malformed',
  'cid.length': 'malformed',
  'cid.check_digit': 'malformed',
  'cid.mismatch': 'malformed',
  'rearm.limit_reached': 'internal',
  'rearm.disabled': 'internal',
  'rearm.nothing_installed': 'internal',
  'setting.invalid': 'malformed',
  'setting.out_of_range': 'malformed',
  'setting.not_volume_host': 'internal',
  'setting.unsupported': 'malformed',
  'activation.not_needed': 'internal',
  'activation.token_only': 'internal',
  'activation.method_disabled': 'internal',
  'activation.unavailable': 'busy',
  'store.corrupt': 'internal',
  'store.permission': 'internal',
  'store.busy': 'busy',
  'store.not_initialised': 'internal',
  'internal.unexpected': 'internal',
};

/** The problem, code and loggable message of anything thrown while answering. */
export function protocolFailure(error: unknown): {
  problem: ErrorProblem;
  code: ErrorCode;
  message: string;
} {
  if (error instanceof SlmError) {
    return { problem: PROTOCOL_PROBLEM[error.code], code: error.code, message: error.message };
  }
  const busy = (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
  const code: ErrorCode = busy ? 'store.busy' : 'internal.unexpected';
  return {
    problem: PROTOCOL_PROBLEM[code],
    code,
    message: String((error as Error)?.message ?? error),
  };
}

/**
 * Codes of the errors slm-kms reports to the person running it, in words. Part of its interface
 * like the SlmError codes: `main` maps each to an exit status.
 */
export type KmsErrorCode =
  | 'usage.value'
  | 'home.not_volume_host'
  | 'home.in_use'
  | 'home.unwritable'
  | 'home.counts_corrupt'
  | 'listen.in_use';

/** A bad value on the command line, or something in the host's way; the message says which. */
export class KmsError extends Error {
  override readonly name = 'KmsError';

  constructor(
    readonly code: KmsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
