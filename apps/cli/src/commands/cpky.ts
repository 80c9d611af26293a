import { ok } from '@slm/core/status';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { changeMachine } from '../machine.js';

/**
 * `/cpky`: remove the stored recovery copies of product keys; licences and partial keys stay.
 * A damaged secrets file is cleared too: its copies cannot be read, and this is the way out.
 */
export function run(ctx: Context): CommandResult {
  const result = changeMachine(ctx, (machine, tx) => {
    const secrets = tx.readableSecrets();
    const removed = secrets.ok ? Object.keys(secrets.value.productKeys) : [];
    if (removed.length > 0 || !secrets.ok) tx.setSecrets({ productKeys: {} });
    const damaged = secrets.ok ? null : String(secrets.error.context.path);
    return ok({ state: machine.state, removed, damaged });
  });
  if (!result.ok) return result;

  const { removed, damaged } = result.value;
  if (damaged !== null) {
    return report({ changed: true, activationIds: [], damagedSecrets: damaged }, [
      `Cleared the damaged secrets file ${damaged}: whatever copies of product keys it held are gone. Licences and partial keys stay.`,
    ]);
  }
  const data = { changed: removed.length > 0, activationIds: removed };
  if (removed.length === 0) {
    return report(data, ['Nothing changed: no copy of a product key is stored on this machine.']);
  }
  return report(data, [
    `Removed the stored copy of ${removed.length} product key(s); no program can read them from this machine any more. Licences and partial keys stay.`,
  ]);
}
