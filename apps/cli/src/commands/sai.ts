import { parseInterval } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applyHostSetting } from '../host-command.js';

/** `/sai minutes`: set the volume host activation interval (minutes). */
export function run(ctx: Context, [text = '']: readonly string[]): CommandResult {
  const value = parseInterval(text);
  if (!value.ok) return value;
  return applyHostSetting(
    ctx,
    { setting: 'activationInterval', value: value.value },
    'volume host activation interval',
  );
}
