import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  type Catalog,
  catalogSuccession,
  fail,
  ok,
  openDocument,
  type Result,
  sha256,
  splitDocument,
  toHex,
} from '@slm/core/status';
import type { LicenceFile } from '@slm/machine-store';
import { describeUnreadable, readBoundedText } from './bounded-read.js';
import { type CommandError, cliFail } from './errors.js';

/**
 * How a catalog file is opened: fully validated (`openCatalog`, for /ilc and /rilc) or checked
 * by signature and shape (`readInstalledCatalog`, when a new store installs its licence folder,
 * so that path stays free of the schema library every command would then load).
 */
export type CatalogOpener = (text: string) => Result<Catalog>;

/** An issuance licence as `/lil` lists it. */
export interface IssuanceLicence {
  readonly ilid: string;
  readonly ilvid: number;
  readonly validTo: string | null;
  readonly info: string;
}

/**
 * Reads a licence file from disk; cli.file_unreadable names the file and the reason (a device,
 * a folder or a file over 1 MiB is refused before it is read).
 */
export function readLicenceText(path: string): Result<string, CommandError> {
  const read = readBoundedText(path);
  if (read.ok) return ok(read.text);
  const reason = describeUnreadable(read.reason);
  return cliFail('cli.file_unreadable', `cannot read the licence file ${path} (${reason})`, {
    path,
    reason: read.reason,
  });
}

/** A file of the licence folder: its text, or why it could not be read. */
export type FolderFile = { name: string; text: string } | { name: string; unreadable: string };

/**
 * The files of the licence folder, catalogs first so issuance licences can be checked; those
 * that cannot be read (a device, a folder, a file over 1 MiB) come last, with the reason.
 */
export function folderFiles(dir: string): FolderFile[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => !name.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
  const files = names.map((name): FolderFile => {
    const read = readBoundedText(join(dir, name));
    return read.ok ? { name, text: read.text } : { name, unreadable: read.reason };
  });
  const rank = (file: FolderFile) => {
    if (!('text' in file)) return 2;
    return file.text.trimStart().startsWith('slm1.catalog.') ? 0 : 1;
  };
  return [0, 1, 2].flatMap((place) => files.filter((file) => rank(file) === place));
}

/**
 * Verifies a licence file and names it: a signed catalog (trusted as its own vendor key says,
 * as an administrator installed it) or an issuance licence signed by a vendor whose catalog is
 * installed.
 */
export function verifyLicenceFile(
  text: string,
  source: { name: string; origin: 'folder' | 'file'; now: number },
  catalogs: readonly Catalog[],
  openCatalog: CatalogOpener,
): Result<LicenceFile, CommandError> {
  const parts = splitDocument(text);
  const file = { name: basename(source.name), origin: source.origin, installedAt: source.now };
  if (parts.ok && parts.value.kind === 'catalog') {
    const catalog = openCatalog(text.trim());
    if (!catalog.ok) return catalog;
    const older = refuseOlder(file.name, catalogs, catalog.value);
    if (!older.ok) return older;
    return ok({ ...file, id: catalogId(catalog.value), kind: 'catalog', content: text.trim() });
  }
  if (parts.ok && parts.value.kind === 'issuance-licence') {
    const licence = openIssuanceLicence(text.trim(), catalogs);
    if (!licence.ok) return licence;
    const id = `il:${licence.value.ilid}:${licence.value.ilvid}`;
    return ok({ ...file, id, kind: 'issuance-licence', content: text.trim() });
  }
  return fail(
    'catalog.malformed',
    `${file.name} is not a licence file: expected a signed catalog or issuance licence`,
    { file: file.name },
  );
}

/**
 * A vendor's catalog issued before the installed one it would replace is refused, so an old
 * file cannot roll back its terms (a longer initial grace, say); the same catalog again is fine.
 */
function refuseOlder(
  name: string,
  installed: readonly Catalog[],
  catalog: Catalog,
): Result<void, CommandError> {
  const succession = catalogSuccession(installed, catalog);
  if (succession.verdict !== 'older') return ok(undefined);
  const { issuedAt, installedIssuedAt } = succession;
  return cliFail(
    'catalog.older',
    `${name} is an older catalog (issued ${issuedAt}) than the one installed from the same vendor (issued ${installedIssuedAt}): nothing changed; a catalog is only replaced by a newer one`,
    { file: name, issuedAt, installedIssuedAt },
  );
}

/** Opens an issuance licence with the vendor keys of the installed catalogs. */
export function openIssuanceLicence(
  text: string,
  catalogs: readonly Catalog[],
): Result<IssuanceLicence> {
  for (const key of new Set(catalogs.map((catalog) => catalog.vendor.publicKey))) {
    const opened = openDocument(text, 'issuance-licence', key);
    if (opened.ok) return readIssuance(opened.value);
  }
  return fail(
    'catalog.untrusted',
    'the issuance licence is not signed by the vendor of any installed product catalog',
  );
}

function readIssuance(payload: unknown): Result<IssuanceLicence> {
  const p = (payload ?? {}) as Record<string, unknown>;
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (typeof p.ilid !== 'string' || !guid.test(p.ilid) || !Number.isInteger(p.ilvid)) {
    return fail('catalog.malformed', 'the issuance licence lacks a GUID ilid or an integer ilvid');
  }
  return ok({
    ilid: p.ilid.toLowerCase(),
    ilvid: p.ilvid as number,
    validTo: typeof p.validTo === 'string' ? p.validTo : null,
    info: typeof p.info === 'string' ? p.info : '',
  });
}

function catalogId(catalog: Catalog): string {
  const products = catalog.products.map((product) => product.productId).sort();
  const digest = toHex(sha256([catalog.vendor.publicKey, ...products].join(','))).slice(0, 24);
  return `catalog:${digest}`;
}
