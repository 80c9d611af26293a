import { ok } from '@slm/core/status';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { changeMachine } from '../machine.js';

/** `/cpky`: remove the stored recovery copies of product keys; licences and partial keys stay. */
export function run(ctx: Context): CommandResult {
  const result = changeMachine(ctx, (machine, tx) => {
    const removed = Object.keys(tx.secrets().productKeys);
    if (removed.length > 0) tx.setSecrets({ productKeys: {} });
    return ok({ state: machine.state, removed });
  });
  if (!result.ok) return result;

  const { removed } = result.value;
  const data = { changed: removed.length > 0, activationIds: removed };
  if (removed.length === 0) {
    return report(data, ['Nothing changed: no copy of a product key is stored on this machine.']);
  }
  return report(data, [
    `Removed the stored copy of ${removed.length} product key(s); no program can read them from this machine any more. Licences and partial keys stay.`,
  ]);
}
