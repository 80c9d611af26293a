import { setHostCaching } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting } from '../settings-command.js';

/** `/ckhc`: turn volume host caching off. */
export function run(ctx: Context): CommandResult {
  return applySetting(ctx, undefined, (state) => setHostCaching(state, false), {
    unchanged: 'volume host caching is already off',
  });
}
