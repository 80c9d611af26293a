import { parseDomain, setKmsDomain } from '@slm/core/status';
import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { applySetting, pinnedHost } from '../settings-command.js';

/** `/skms-domain FQDN [ActID]`: look for volume host SRV records only in this domain. */
export function run(ctx: Context, [text = '', activationId]: readonly string[]): CommandResult {
  const domain = parseDomain(text);
  if (!domain.ok) return domain;
  return applySetting(ctx, activationId, (state, id) => setKmsDomain(state, domain.value, id), {
    unchanged: `the volume host DNS domain is already ${domain.value}`,
    after: (update) =>
      pinnedHost(update) === null
        ? ''
        : `The domain is ignored while the volume host ${pinnedHost(update)} is pinned; slmgr /ckms clears it.`,
  });
}
