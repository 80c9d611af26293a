import { SlmError } from '@slm/core/status';
import type { CommandResult } from './command.js';

/** Turns an unexpected throw (a bug) into internal.unexpected; SlmErrors keep their code. */
export function internalError(error: unknown): CommandResult {
  if (error instanceof SlmError) return { ok: false, error };
  const detail = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    error: new SlmError(
      'internal.unexpected',
      `slmgr failed unexpectedly (${detail}): please report this with the command you ran`,
    ),
  };
}
