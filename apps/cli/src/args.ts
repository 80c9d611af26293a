import { ok, type Result } from '@slm/core/status';
import { type CommandError, cliFail } from './errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads an optional activation ID argument (a GUID, any case). */
export function activationIdArg(text: string | undefined): Result<string | null, CommandError> {
  if (text === undefined) return ok(null);
  if (GUID.test(text)) return ok(text.toLowerCase());
  return cliFail(
    'usage.invalid_argument',
    `"${text}" is not an activation ID: give the GUID of an installed product (slmgr /dli all lists them)`,
    { argument: text },
  );
}

/** Reads `/dli` and `/dlv`'s optional target: an activation ID or "all". */
export function targetArg(text: string | undefined): Result<string | null, CommandError> {
  if (text?.toLowerCase() === 'all') return ok('all');
  return activationIdArg(text);
}
