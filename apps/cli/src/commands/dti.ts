import { fail, ok } from '@slm/core/status';
import { activationIdArg } from '../args.js';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { readMachine, statusOf } from '../machine.js';
import { installationIdOf } from '../product-info.js';
import { productName, selectProduct } from '../products.js';

/** `/dti [ActID]`: the Installation ID to give the vendor for phone activation. */
export function run(ctx: Context, [text]: readonly string[]): CommandResult {
  const target = activationIdArg(text);
  if (!target.ok) return target;
  const found = readMachine(ctx, (machine) => {
    const product = selectProduct(machine, target.value);
    if (!product.ok) return product;
    const status = statusOf(ctx, machine, product.value);
    if (status.key === null) {
      return fail(
        'key.not_installed',
        'no product key is installed for this product: install one with slmgr /ipk',
        {
          activationId: product.value.sku.activationId,
        },
      );
    }
    const iid = installationIdOf(ctx, machine, product.value, status);
    return ok({
      iid,
      name: productName(product.value),
      activationId: product.value.sku.activationId,
    });
  });
  if (!found.ok) return found;

  const { iid, name, activationId } = found.value;
  if (iid === null) {
    return fail(
      'key.not_installed',
      'the key was installed by an older slmgr: reinstall it with slmgr /ipk',
      {
        activationId,
      },
    );
  }
  return report({ activationId, installationId: iid }, [`${name}`, `Installation ID: ${iid}`]);
}
