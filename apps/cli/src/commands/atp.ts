import {
  addGrant,
  fail,
  ok,
  parseConfirmationId,
  parseInstallationId,
  verifyConfirmationId,
} from '@slm/core';
import { activationIdArg } from '../args.js';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { bindingFor, changeMachine, evaluationContext, statusOf } from '../machine.js';
import { installationIdOf } from '../product-info.js';
import { productName, selectProduct } from '../products.js';

/**
 * `/atp CID [ActID]`: checks the Confirmation ID offline against this installation's
 * Installation ID with the vendor's public key, then stores it as the phone activation.
 */
export function run(ctx: Context, [cidText = '', text]: readonly string[]): CommandResult {
  const signature = parseConfirmationId(cidText);
  if (!signature.ok) return signature;
  const target = activationIdArg(text);
  if (!target.ok) return target;

  const result = changeMachine(ctx, (machine) => {
    const sku = selectProduct(machine, target.value);
    if (!sku.ok) return sku;
    const status = statusOf(ctx, machine, sku.value);
    const iid = installationIdOf(ctx, machine, sku.value, status);
    if (iid === null) return fail('key.not_installed', 'install a product key with slmgr /ipk');
    const content = parseInstallationId(iid);
    if (!content.ok) return content;
    const vendorKey = sku.value.catalog.vendor.publicKey;
    const verified = verifyConfirmationId(content.value, signature.value, vendorKey);
    if (!verified.ok) return verified;

    const grant = {
      kind: 'phone' as const,
      installationId: iid,
      confirmationId: cidText,
      components: [...bindingFor(ctx, machine, sku.value).components],
      activatedAt: ctx.now,
    };
    const added = addGrant(machine.state, grant, evaluationContext(ctx, machine, sku.value));
    if (!added.ok) return added;
    return ok({
      state: added.value.state,
      name: productName(sku.value),
      activationId: sku.value.sku.activationId,
      partial: status.key?.partial ?? null,
    });
  });
  if (!result.ok) return result;

  const { name, activationId, partial } = result.value;
  return report({ activationId, partialProductKey: partial }, [
    `Confirmation ID for ${name} (${activationId}) deposited; product activated successfully.`,
  ]);
}
