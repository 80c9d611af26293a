import { parseInterval } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applyHostSetting } from '../host-command.js';

/** `/sri minutes`: set the volume host renewal interval (minutes). */
export function run(ctx: Context, [text = '']: readonly string[]): CommandResult {
  const value = parseInterval(text);
  if (!value.ok) return value;
  return applyHostSetting(
    ctx,
    { setting: 'renewalInterval', value: value.value },
    'volume host renewal interval',
  );
}
