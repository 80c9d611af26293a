import { ok } from '@slm/core/status';
import { targetArg } from '../args.js';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { readMachine } from '../machine.js';
import { productInfo, productLines } from '../product-info.js';
import { selectProducts } from '../products.js';

/** `/dli [ActID | all]`: licence information of the installed products. */
export function run(ctx: Context, [text]: readonly string[]): CommandResult {
  const target = targetArg(text);
  if (!target.ok) return target;
  const infos = readMachine(ctx, (machine) => {
    const products = selectProducts(machine, target.value);
    if (!products.ok) return products;
    return ok(products.value.map((found) => productInfo(ctx, machine, found)));
  });
  if (!infos.ok) return infos;
  const products = infos.value.map(({ status: _status, ...info }) => info);
  const lines = infos.value.flatMap((info, i) => [...(i > 0 ? [''] : []), ...productLines(info)]);
  return report({ products }, lines);
}
