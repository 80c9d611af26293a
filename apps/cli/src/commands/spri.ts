import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applyHostSetting } from '../host-command.js';

/** `/spri`: run the volume host at normal priority. */
export function run(ctx: Context): CommandResult {
  return applyHostSetting(
    ctx,
    { setting: 'lowPriority', value: false },
    'volume host low priority',
  );
}
