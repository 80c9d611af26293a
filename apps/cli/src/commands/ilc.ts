import { dirname, resolve } from 'node:path';
import { ok, openCatalog } from '@slm/core';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { readLicenceText, verifyLicenceFile } from '../licence-files.js';
import { changeMachine } from '../machine.js';

/** `/ilc FILE`: verify a licence file (catalog or issuance licence) and install it. */
export function run(ctx: Context, [path = '']: readonly string[]): CommandResult {
  const text = readLicenceText(path);
  if (!text.ok) return text;

  const result = changeMachine(ctx, (machine, tx) => {
    const file = verifyLicenceFile(
      text.value,
      { name: path, origin: 'file', now: ctx.now },
      machine.catalogs,
      openCatalog,
    );
    if (!file.ok) return file;
    const same = tx
      .licenceFiles(file.value.kind)
      .some((f) => f.id === file.value.id && f.content === file.value.content);
    if (!same) tx.putLicenceFile(file.value);
    if (!inLicenceFolder(ctx, path)) tx.keepLicenceCopy(file.value);
    return ok({ state: machine.state, id: file.value.id, kind: file.value.kind, changed: !same });
  });
  if (!result.ok) return result;

  const { id, kind, changed } = result.value;
  const what = kind === 'catalog' ? 'product catalog' : 'issuance licence';
  const line = changed
    ? `Installed the ${what} from ${path} (${id}); a copy is kept in ${ctx.licenceDir} for slmgr /rilc.`
    : `Nothing changed: the ${what} in ${path} is already installed.`;
  return report({ id, kind, changed }, [line]);
}

/** A file already in the licence folder needs no copy there: /rilc reads it where it is. */
function inLicenceFolder(ctx: Context, path: string): boolean {
  return resolve(dirname(path)) === resolve(ctx.licenceDir);
}
