import { ok } from '@slm/core/status';
import { activationIdArg } from '../args.js';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { readMachine } from '../machine.js';
import { productInfo } from '../product-info.js';
import { selectProduct } from '../products.js';

/** `/xpr [ActID]`: when the current licence state ends, or that the activation is permanent. */
export function run(ctx: Context, [text]: readonly string[]): CommandResult {
  const target = activationIdArg(text);
  if (!target.ok) return target;
  const found = readMachine(ctx, (machine) => {
    const product = selectProduct(machine, target.value);
    return product.ok ? ok(productInfo(ctx, machine, product.value)) : product;
  });
  if (!found.ok) return found;

  const { name, activationId, licenceStatus: status } = found.value;
  const data = {
    activationId,
    name,
    state: status.state,
    endsAt: status.endsAt,
    timeRemaining: status.timeRemaining,
  };
  return report(data, [`${name}`, `    ${sentence(found.value.licenceStatus)}`]);
}

function sentence(status: ReturnType<typeof productInfo>['licenceStatus']): string {
  const left =
    status.timeRemaining === null
      ? ''
      : ` (${status.timeRemaining.minutes} minute(s), ${status.timeRemaining.days} day(s) left)`;
  switch (status.state) {
    case 'licensed':
      return status.endsAt === null
        ? 'The machine is permanently activated.'
        : `Activation expires ${status.endsAt}${left}.`;
    case 'unlicensed':
      return 'Unlicensed: no product key is installed (slmgr /ipk installs one).';
    case 'notification':
      return `In Notification (${status.reason}): activate to return to Licensed.`;
    default:
      return `${status.label} ends ${status.endsAt}${left}.`;
  }
}
