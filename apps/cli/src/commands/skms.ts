import { parseKmsAddress, setKms } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting, pinnedHost } from '../settings-command.js';

/** `/skms name[:port] | :port | [IPv6][:port] [ActID]`: pin a volume host. */
export function run(ctx: Context, [text = '', activationId]: readonly string[]): CommandResult {
  const address = parseKmsAddress(text);
  if (!address.ok) return address;
  return applySetting(ctx, activationId, (state, id) => setKms(state, address.value, id), {
    unchanged: `the volume host is already ${text}`,
    after: (update) =>
      pinnedHost(update) === null
        ? 'No volume host is pinned, so hosts are still found through DNS; the port applies once one is (slmgr /skms NAME).'
        : 'DNS discovery is off while a volume host is pinned; slmgr /ckms turns it back on.',
  });
}
