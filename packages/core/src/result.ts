import { type ErrorCode, type ErrorContext, SlmError } from './errors.js';

/** What an operation that can fail for a business reason returns. */
export type Result<T, E = SlmError> = { ok: true; value: T } | { ok: false; error: E };

/** A success. */
export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

/** A failure with a stable code. */
export function fail(
  code: ErrorCode,
  message: string,
  context: ErrorContext = {},
): Result<never, SlmError> {
  return { ok: false, error: new SlmError(code, message, context) };
}

/** Unwraps a result or throws its error; for tests and for places where failure is a bug. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw result.error;
}
