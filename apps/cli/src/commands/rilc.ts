import { ok, openCatalog } from '@slm/core';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { type FolderInstall, installFolder } from '../install-folder.js';
import { openStore } from '../machine.js';
import { rebuildStore } from '../recovery.js';

/** `/rilc`: reinstall the licence folder's files; a damaged store is rebuilt from them. */
export function run(ctx: Context): CommandResult {
  const opened = openStore(ctx, 'write', true);
  if (!opened.ok && opened.error.code === 'store.corrupt') return rebuilt(ctx);
  if (!opened.ok) return opened;
  const store = opened.value;
  const result = (() => {
    try {
      return store.update((tx) => ok(installFolder(ctx, tx, openCatalog)));
    } finally {
      store.close();
    }
  })();
  if (!result.ok) return result;
  return report({ rebuilt: false, ...result.value }, installLines(ctx, result.value));
}

function rebuilt(ctx: Context): CommandResult {
  const result = rebuildStore(ctx);
  if (!result.ok) return result;
  const r = result.value;
  const lines = [
    r.damagedPath === null
      ? `The licence store database in ${ctx.home} was missing: it was rebuilt.`
      : `The licence store was damaged: it was moved to ${r.damagedPath} and rebuilt.`,
    r.installed.length === 0
      ? `The licence folder ${ctx.licenceDir} holds no licence files to reinstall.`
      : `Reinstalled ${r.installed.length} licence file(s) from ${ctx.licenceDir}.`,
    ...rejectedLines(r),
    ...(r.restored.length === 0
      ? []
      : [`Restored ${r.restored.length} licence file(s) read back from the damaged store.`]),
    r.stateRecovered
      ? `Kept ${r.keptActivations} activation(s) whose grants still verify; dropped ${r.droppedActivations}.`
      : 'No earlier licence state could be read: product keys must be installed again.',
  ];
  return report({ rebuilt: true, ...r }, lines);
}

function installLines(ctx: Context, install: FolderInstall): string[] {
  if (install.installed.length === 0 && install.rejected.length === 0) {
    return [`Nothing changed: the licence folder ${ctx.licenceDir} holds no licence files.`];
  }
  return [
    `Reinstalled ${install.installed.length} licence file(s) from ${ctx.licenceDir}; other installed licences stay.`,
    ...rejectedLines(install),
  ];
}

function rejectedLines(install: FolderInstall): string[] {
  return install.rejected.map((r) => `Skipped ${r.name}: ${r.message} (${r.code}).`);
}
