import { ok } from '@slm/core/status';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { openIssuanceLicence } from '../licence-files.js';
import { readMachine } from '../machine.js';

/** `/lil`: list the installed issuance licences (ILID, ILvID, valid to, info). */
export function run(ctx: Context): CommandResult {
  const listed = readMachine(ctx, (machine) => {
    const files = machine.view.licenceFiles('issuance-licence');
    const licences = files.map((file) => openIssuanceLicence(file.content, machine.catalogs));
    return ok(licences.flatMap((licence) => (licence.ok ? [licence.value] : [])));
  });
  if (!listed.ok) return listed;

  const licences = listed.value;
  if (licences.length === 0) return report({ licences }, ['No issuance licence is installed.']);
  const lines = licences.flatMap((l, i) => [
    ...(i > 0 ? [''] : []),
    `License ID (ILID): ${l.ilid}`,
    `Version ID (ILvID): ${l.ilvid}`,
    `Valid to: ${l.validTo ?? 'no end'}`,
    `Additional info: ${l.info}`,
  ]);
  return report({ licences }, lines);
}
