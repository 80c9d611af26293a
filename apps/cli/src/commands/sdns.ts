import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applyHostSetting } from '../host-command.js';

/** `/sdns`: turn DNS SRV publishing on. */
export function run(ctx: Context): CommandResult {
  return applyHostSetting(
    ctx,
    { setting: 'dnsPublishing', value: true },
    'volume host DNS publishing',
  );
}
