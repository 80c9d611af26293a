import { setHostCaching } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting } from '../settings-command.js';

/** `/skhc`: turn volume host caching on. */
export function run(ctx: Context): CommandResult {
  return applySetting(ctx, undefined, (state) => setHostCaching(state, true), {
    unchanged: 'volume host caching is already on',
  });
}
