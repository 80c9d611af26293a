import type { Result } from '@slm/core/status';
import type { Context } from './context.js';
import type { CommandError } from './errors.js';

/** What a command reports: JSON data (the `--json` schema) and the lines a person reads. */
export interface Report {
  readonly data: Readonly<Record<string, unknown>>;
  readonly lines: readonly string[];
}

/** A command's outcome. */
export type CommandResult = Result<Report, CommandError>;

/** One file per option exports `run`, loaded only when that option is used. */
export interface CommandModule {
  run(ctx: Context, args: readonly string[]): CommandResult | Promise<CommandResult>;
}

/** A successful report. */
export function report(data: Record<string, unknown>, lines: readonly string[]): CommandResult {
  return { ok: true, value: { data, lines } };
}
