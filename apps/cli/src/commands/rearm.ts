import { rearm } from '@slm/core/status';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { changeMachine, findSku, type Machine } from '../machine.js';
import { productName } from '../products.js';

/** `/rearm`: fresh initial grace, new client machine ID, one rearm used; says when it did nothing. */
export function run(ctx: Context): CommandResult {
  let machineSeen: Machine | null = null;
  const result = changeMachine(ctx, (machine) => {
    machineSeen = machine;
    return rearm(machine.state, machine.catalogs, ctx.now, ctx.io.randomBytes);
  });
  if (!result.ok) return result;

  const { state, rearmed } = result.value;
  const nameOf = (id: string) => {
    const sku = machineSeen === null ? null : findSku(machineSeen, id);
    return sku?.ok ? productName(sku.value) : id;
  };
  const lines = rearmed.map(
    (item) => `Rearmed ${nameOf(item.activationId)}: ${item.remainingRearms} rearm(s) left.`,
  );
  lines.push(`The client machine ID is now ${state.clientMachineId}.`);
  lines.push('Restart the programs that use these licences for the reset timers to take effect.');
  return report({ rearmed, clientMachineId: state.clientMachineId }, lines);
}
