import { setActivationType } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting } from '../settings-command.js';

/** `/ctao`: token-activation-only off (the same as `/act-type 0`). */
export function run(ctx: Context): CommandResult {
  return applySetting(ctx, undefined, (state) => setActivationType(state, 0), {
    unchanged: 'token-only activation is already off (all methods allowed)',
  });
}
