import { setActivationType } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting } from '../settings-command.js';

/** `/stao`: token-activation-only on (the same as `/act-type 3`). */
export function run(ctx: Context): CommandResult {
  return applySetting(ctx, undefined, (state) => setActivationType(state, 3), {
    unchanged: 'token-only activation is already on',
  });
}
