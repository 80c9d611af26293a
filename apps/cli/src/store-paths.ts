import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ok, type Result } from '@slm/core/status';
import type { Context } from './context.js';
import { type CommandError, cliFail } from './errors.js';

/**
 * Refuses a store home or licence folder that is a file (or lies under one), naming the path and
 * where it came from, before the store would try to create a folder there.
 */
export function checkStorePaths(ctx: Context): Result<void, CommandError> {
  for (const [path, setting] of [
    [ctx.home, ctx.homeSetting],
    [ctx.licenceDir, ctx.licenceDirSetting],
  ] as const) {
    const file = fileInTheWay(path);
    if (file === null) continue;
    const where = file === path ? path : `${file} (in ${path})`;
    return cliFail(
      'usage.invalid_argument',
      `${where} is a file, not a folder: point ${setting} at a folder for the licence store`,
      { path, setting },
    );
  }
  return ok(undefined);
}

/** The first existing path from `path` up that is not a folder, or null. */
function fileInTheWay(path: string): string | null {
  for (let at = path; ; at = dirname(at)) {
    try {
      return statSync(at).isDirectory() ? null : at;
    } catch {
      if (dirname(at) === at) return null;
    }
  }
}
