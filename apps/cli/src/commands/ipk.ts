import {
  installKey,
  keyProof,
  type MachineState,
  ok,
  parseProductKey,
  type Result,
} from '@slm/core/status';
import type { StoreTransaction } from '@slm/machine-store';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { type CommandError, cliFail } from '../errors.js';
import { STDIN_LIMIT } from '../io.js';
import { setKeyProofNote } from '../key-proof.js';
import { changeMachine, findSku } from '../machine.js';
import { productName } from '../products.js';

/**
 * `/ipk KEY`: install a product key; only its last five characters are ever shown. `/ipk -`
 * reads the key from standard input, so it appears in no process list or shell history.
 */
export function run(ctx: Context, [text = '']: readonly string[]): CommandResult {
  const typed = text === '-' ? onlyLine(ctx.io.readStdin()) : ok(text);
  if (!typed.ok) return typed;
  const key = parseProductKey(typed.value);
  if (!key.ok) return key;

  const result = changeMachine(ctx, (machine, tx) => {
    const installed = installKey(machine.state, machine.catalogs, key.value, ctx.now);
    if (!installed.ok) return installed;
    const { activationId, changed, replacedPartial, state } = installed.value;
    keepRecoveryCopy(tx, state, activationId, key.value.text);
    setKeyProofNote(tx, activationId, { partial: key.value.partial, proof: keyProof(key.value) });
    const sku = findSku(machine, activationId);
    const name = sku.ok ? productName(sku.value) : activationId;
    return ok({ state, activationId, changed, replacedPartial, name });
  });
  if (!result.ok) return result;

  const { activationId, changed, replacedPartial, name } = result.value;
  const partial = key.value.partial;
  const data = {
    activationId,
    partialProductKey: partial,
    changed,
    replacedPartialProductKey: replacedPartial,
  };
  if (!changed) {
    return report(data, [
      `Nothing changed: the product key ending in ${partial} is already installed for ${name}.`,
    ]);
  }
  const replaced =
    replacedPartial === null ? '' : ` It replaced the key ending in ${replacedPartial}.`;
  return report(data, [
    `Installed the product key ending in ${partial} for ${name} (activation ID ${activationId}).${replaced}`,
  ]);
}

/** The one non-empty line of standard input: with more, which key was meant is a guess. */
function onlyLine(input: string): Result<string, CommandError> {
  if (input.length > STDIN_LIMIT) {
    return cliFail(
      'usage.invalid_argument',
      `/ipk - reads one product key, but standard input holds more than ${STDIN_LIMIT / 1024} KiB`,
    );
  }
  const lines = input.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length <= 1) return ok(lines[0] ?? '');
  return cliFail(
    'usage.invalid_argument',
    `/ipk - reads one product key, but standard input has ${lines.length} non-empty lines: give one key`,
    { lines: lines.length },
  );
}

/** Keeps the full key for recovery in the owner-only secrets; drops copies of removed keys. */
function keepRecoveryCopy(
  tx: StoreTransaction,
  state: MachineState,
  activationId: string,
  text: string,
) {
  const kept = Object.entries(tx.secrets().productKeys).filter(
    ([id]) => id !== activationId && state.products[id]?.key != null,
  );
  tx.setSecrets({ productKeys: { ...Object.fromEntries(kept), [activationId]: text } });
}
