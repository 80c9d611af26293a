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
    // The licence state is intact, so a damaged secrets file does not stop the uninstall; it
    // stays as it is (its other copies cannot be read either) and the report says so.
    const secrets = tx.readableSecrets();
    if (secrets.ok) {
      const { [activationId]: _dropped, ...kept } = secrets.value.productKeys;
      tx.setSecrets({ productKeys: kept });
    }
    setKeyProofNote(tx, activationId, null);
    const warning = secrets.ok ? null : secrets.error;
    return ok({ ...removed.value, activationId, name: productName(product.value), warning });
  });
  if (!result.ok) return result;

  const { activationId, partial, name, warning } = result.value;
  const data = { activationId, partialProductKey: partial, changed: true };
  const line = `Uninstalled the product key ending in ${partial} from ${name}; it is now Unlicensed.`;
  if (warning === null) return report(data, [line]);
  return report({ ...data, warnings: [{ code: warning.code, message: warning.message }] }, [
    line,
    `Warning ${warning.code}: the stored copy of the key may remain, unreadable: ${warning.message}`,
  ]);
}
