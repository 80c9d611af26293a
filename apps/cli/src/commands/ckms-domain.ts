import { clearKmsDomain } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting } from '../settings-command.js';

/** `/ckms-domain [ActID]`: clear the volume host DNS domain. */
export function run(ctx: Context, [activationId]: readonly string[]): CommandResult {
  return applySetting(ctx, activationId, (state, id) => clearKmsDomain(state, id), {
    unchanged: 'no volume host DNS domain is set',
  });
}
