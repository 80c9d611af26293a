import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applyHostSetting } from '../host-command.js';

/** `/cpri`: run the volume host at low priority. */
export function run(ctx: Context): CommandResult {
  return applyHostSetting(ctx, { setting: 'lowPriority', value: true }, 'volume host low priority');
}
