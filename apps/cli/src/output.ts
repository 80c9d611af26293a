import type { Report } from './command.js';
import type { CommandError } from './errors.js';
import { EXIT, exitStatusOf } from './exit-status.js';
import type { Io } from './io.js';
import { maskContext, maskProductKeys } from './redact.js';

/** The one place that turns an outcome into text or JSON and an exit status. */
export function emit(
  io: Io,
  json: boolean,
  option: string,
  outcome: { ok: true; value: Report } | { ok: false; error: CommandError },
): number {
  if (outcome.ok) {
    if (json) io.stdout(`${JSON.stringify({ ok: true, option, result: outcome.value.data })}\n`);
    else if (outcome.value.lines.length > 0) io.stdout(`${outcome.value.lines.join('\n')}\n`);
    return EXIT.ok;
  }
  // Errors may echo what was typed, and a product key typed in the wrong place is still secret.
  const { code } = outcome.error;
  const message = maskProductKeys(outcome.error.message);
  const context = maskContext(outcome.error.context);
  const status = exitStatusOf(code);
  if (json) {
    // Some errors carry structured data that a flat context cannot hold (the hosts /ato tried).
    const details = (outcome.error as { details?: unknown }).details;
    const error = {
      code,
      message,
      context,
      exitStatus: status,
      ...(details === undefined ? {} : { details }),
    };
    io.stdout(`${JSON.stringify({ ok: false, option, error })}\n`);
  } else {
    io.stderr(`Error ${code}: ${message}\n`);
  }
  return status;
}
