import { clearKms } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting, pinnedHost } from '../settings-command.js';

/** `/ckms [ActID]`: clear the pinned volume host name and port; DNS discovery again. */
export function run(ctx: Context, [activationId]: readonly string[]): CommandResult {
  return applySetting(ctx, activationId, (state, id) => clearKms(state, id), {
    unchanged: 'no volume host is pinned, so volume hosts are already found through DNS',
    after: (update) =>
      pinnedHost(update) === null
        ? 'Volume hosts are found through DNS again.'
        : `The machine's volume host ${pinnedHost(update)} still applies to this product; slmgr /ckms without an activation ID clears it.`,
  });
}
