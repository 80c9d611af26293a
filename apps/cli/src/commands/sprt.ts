import { parsePort } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applyHostSetting } from '../host-command.js';

/** `/sprt port`: set the volume host listening port. */
export function run(ctx: Context, [text = '']: readonly string[]): CommandResult {
  const value = parsePort(text);
  if (!value.ok) return value;
  return applyHostSetting(
    ctx,
    { setting: 'port', value: value.value },
    'volume host listening port',
  );
}
