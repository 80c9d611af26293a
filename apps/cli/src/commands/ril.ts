import { ok } from '@slm/core/status';
import { activationIdArg } from '../args.js';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { cliFail } from '../errors.js';
import { changeMachine } from '../machine.js';

/** `/ril ILID ILvID`: remove one issuance licence. */
export function run(
  ctx: Context,
  [ilidText = '', ilvidText = '']: readonly string[],
): CommandResult {
  const ilid = activationIdArg(ilidText);
  if (!ilid.ok)
    return cliFail(
      'usage.invalid_argument',
      `"${ilidText}" is not an ILID: give the GUID that slmgr /lil shows`,
    );
  if (!/^\d+$/.test(ilvidText)) {
    return cliFail(
      'usage.invalid_argument',
      `"${ilvidText}" is not an ILvID: it is a whole number, as slmgr /lil shows`,
    );
  }
  const id = `il:${ilid.value}:${Number(ilvidText)}`;

  const result = changeMachine(ctx, (machine, tx) => {
    if (!tx.removeLicenceFile(id)) {
      return cliFail(
        'licence.not_found',
        `no issuance licence ${ilid.value} version ${ilvidText} is installed: slmgr /lil lists them`,
      );
    }
    return ok({ state: machine.state });
  });
  if (!result.ok) return result;
  return report({ ilid: ilid.value, ilvid: Number(ilvidText), changed: true }, [
    `Removed issuance licence ${ilid.value} version ${ilvidText}.`,
  ]);
}
