import type { ErrorCode, ErrorContext, SlmError } from '@slm/core/status';

/** Codes that only the command line has: how it was called, and options not offered yet. */
export const CLI_ERROR_CODES = [
  'usage.no_option',
  'usage.unknown_option',
  'usage.missing_argument',
  'usage.extra_argument',
  'usage.invalid_argument',
  'usage.invalid_combination',
  'cli.not_available',
  'cli.file_unreadable',
  'licence.not_found',
  'catalog.older',
] as const;

/** A command-line-only error code. */
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

/** Any code the command line can report. */
export type AnyErrorCode = ErrorCode | CliErrorCode;

/** An error of the command line itself, shaped like SlmError so output treats both alike. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly context: ErrorContext = {},
  ) {
    super(message);
  }
}

/** Either kind of error a command can fail with. */
export type CommandError = SlmError | CliError;

/** A failed result carrying a command-line error. */
export function cliFail(
  code: CliErrorCode,
  message: string,
  context: ErrorContext = {},
): { ok: false; error: CliError } {
  return { ok: false, error: new CliError(code, message, context) };
}
