import { type Catalog, readInstalledCatalog } from '@slm/core/status';
import type { StoreTransaction } from '@slm/machine-store';
import { describeUnreadable } from './bounded-read.js';
import type { Context } from './context.js';
import { type CatalogOpener, folderFiles, verifyLicenceFile } from './licence-files.js';

/** What reinstalling the licence folder did. */
export interface FolderInstall {
  readonly installed: readonly { id: string; kind: string; name: string }[];
  readonly rejected: readonly { name: string; code: string; message: string }[];
}

/** Installs every licence file of the licence folder; files that fail verification are listed. */
export function installFolder(
  ctx: Context,
  tx: StoreTransaction,
  openCatalog: CatalogOpener,
): FolderInstall {
  const installed: FolderInstall['installed'][number][] = [];
  const rejected: FolderInstall['rejected'][number][] = [];
  for (const found of folderFiles(ctx.licenceDir)) {
    const { name } = found;
    if (!('text' in found)) {
      const message = `cannot read it (${describeUnreadable(found.unreadable)})`;
      rejected.push({ name, code: 'cli.file_unreadable', message });
      continue;
    }
    const source = { name, origin: 'folder' as const, now: ctx.now };
    const file = verifyLicenceFile(found.text, source, catalogsOf(tx), openCatalog);
    if (!file.ok) {
      rejected.push({ name, code: file.error.code, message: file.error.message });
      continue;
    }
    tx.putLicenceFile(file.value);
    installed.push({ id: file.value.id, kind: file.value.kind, name });
  }
  return { installed, rejected };
}

/** The catalogs installed so far in this transaction. */
export function catalogsOf(tx: StoreTransaction): Catalog[] {
  return tx
    .licenceFiles('catalog')
    .map((file) => readInstalledCatalog(file.content))
    .flatMap((opened) => (opened.ok ? [opened.value] : []));
}
