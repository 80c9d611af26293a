import { ok, uninstallKey } from '@slm/core/status';
import { activationIdArg } from '../args.js';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { setKeyProofNote } from '../key-proof.js';
import { changeMachine } from '../machine.js';
import { productName, selectProduct } from '../products.js';

/** `/upk [ActID]`: uninstall the product key; the product returns to Unlicensed. */
export function run(ctx: Context, [text]: readonly string[]): CommandResult {
  const target = activationIdArg(text);
  if (!target.ok) return target;

  const result = changeMachine(ctx, (machine, tx) => {
    const product = selectProduct(machine, target.value);
    if (!product.ok) return product;
    const { activationId } = product.value.sku;
    const removed = uninstallKey(machine.state, activationId);
    if (!removed.ok) return removed;
    const { [activationId]: _dropped, ...kept } = tx.secrets().productKeys;
    tx.setSecrets({ productKeys: kept });
    setKeyProofNote(tx, activationId, null);
    return ok({ ...removed.value, activationId, name: productName(product.value) });
  });
  if (!result.ok) return result;

  const { activationId, partial, name } = result.value;
  return report({ activationId, partialProductKey: partial, changed: true }, [
    `Uninstalled the product key ending in ${partial} from ${name}; it is now Unlicensed.`,
  ]);
}
