import { parseActivationType, setActivationType } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting } from '../settings-command.js';

/** `/act-type 0|2|3 [ActID]`: which volume activation methods are allowed. */
export function run(ctx: Context, [text = '', activationId]: readonly string[]): CommandResult {
  const type = parseActivationType(text);
  if (!type.ok) return type;
  return applySetting(ctx, activationId, (state, id) => setActivationType(state, type.value, id), {
    unchanged: `the volume activation type is already ${type.value}`,
  });
}
