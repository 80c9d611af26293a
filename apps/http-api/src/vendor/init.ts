import { mkdir, stat, writeFile } from 'node:fs/promises';
import { type CatalogInput, catalogSchema, generateSigningKey } from '@slm/core';
import { parseConfig, type ServiceConfigInput } from '../config.js';
import { openVendorDb } from '../db/open.js';
import { exampleCatalog } from './example-catalog.js';
import {
  fileProblem,
  newKeySecret,
  VendorUsageError,
  vendorPaths,
  writePrivateFile,
} from './files.js';
import { createToken } from './tokens.js';

export interface InitOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Defaults to http://HOST:PORT. */
  readonly publicUrl?: string | undefined;
}

export interface InitResult {
  readonly dir: string;
  readonly publicKey: string;
  /** Shown once; only its hash is stored. */
  readonly adminToken: string;
}

/**
 * Creates a vendor directory: keys, database, example catalog, config and an admin token. The
 * folder and options are checked first, as serve and catalog publish will check them, so a
 * refused init leaves nothing behind and can be run again.
 */
export async function initVendor(dir: string, options: InitOptions): Promise<InitResult> {
  const paths = vendorPaths(dir);
  await requireNewVendorFolder(dir, paths.config);
  const { publicKey, privateKeyPem } = generateSigningKey();
  const publicUrl = options.publicUrl ?? `http://${hostForUrl(options.host)}:${options.port}`;
  const catalog = exampleCatalog(options.name, publicKey, publicUrl);
  const config: ServiceConfigInput = {
    listen: { host: options.host, port: options.port },
    publicUrl,
  };
  checkOptions(config, catalog);

  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writePrivateFile(paths.signingKey, privateKeyPem);
  await writePrivateFile(paths.keySecret, `${newKeySecret()}\n`);
  await writeFile(paths.publicKey, `${publicKey}\n`);
  await writeFile(paths.catalog, `${JSON.stringify(catalog, null, 2)}\n`);
  await writeFile(paths.config, `${JSON.stringify(config, null, 2)}\n`);

  const vdb = await openVendorDb(paths.database, { create: true });
  const adminToken = await createToken(vdb.db, 'admin', 'created by init', Date.now());
  await vdb.close();
  return { dir, publicKey, adminToken };
}

/** A host as it appears in a URL: IPv6 in brackets. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function requireNewVendorFolder(dir: string, config: string): Promise<void> {
  if (dir.trim() === '') throw new VendorUsageError('give the folder to create the vendor in');
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error) {
    if (found.code === 'ENOENT') return;
    throw new VendorUsageError(`${dir}: ${fileProblem(found)}`);
  }
  if (!found.isDirectory()) throw new VendorUsageError(`${dir} is a file, not a folder`);
  if (
    await stat(config).then(
      () => true,
      () => false,
    )
  ) {
    throw new Error(`${dir} already holds a vendor; nothing changed`);
  }
}

// The option each field of the config and catalog comes from.
const OPTION_OF: Readonly<Record<string, string>> = {
  publicUrl: '--public-url',
  serviceUrl: '--public-url',
  'listen.host': '--host',
  'listen.port': '--port',
  'vendor.name': '--name',
};

function checkOptions(config: ServiceConfigInput, catalog: CatalogInput): void {
  const parsedConfig = parseConfig(config);
  if (!parsedConfig.ok) throw optionError(parsedConfig.field, parsedConfig.problem);
  const parsedCatalog = catalogSchema.safeParse(catalog);
  if (parsedCatalog.success) return;
  const issue = parsedCatalog.error.issues[0];
  const field = issue?.path.join('.') ?? 'catalog';
  throw optionError(field, `${field}: ${issue?.message ?? 'invalid'}`);
}

function optionError(field: string, problem: string): VendorUsageError {
  const option = OPTION_OF[field];
  const text = option === undefined ? problem : `${option}: ${problem.slice(field.length + 2)}`;
  return new VendorUsageError(`${text}; nothing was created`);
}
