import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applyHostSetting } from '../host-command.js';

/** `/cdns`: turn DNS SRV publishing off. */
export function run(ctx: Context): CommandResult {
  return applyHostSetting(
    ctx,
    { setting: 'dnsPublishing', value: false },
    'volume host DNS publishing',
  );
}
