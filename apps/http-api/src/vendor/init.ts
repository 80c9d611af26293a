import { mkdir, stat, writeFile } from 'node:fs/promises';
import { generateSigningKey } from '@slm/core';
import type { ServiceConfigInput } from '../config.js';
import { openVendorDb } from '../db/open.js';
import { exampleCatalog } from './example-catalog.js';
import { newKeySecret, vendorPaths, writePrivateFile } from './files.js';
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

/** Creates a vendor directory: keys, database, example catalog, config and an admin token. */
export async function initVendor(dir: string, options: InitOptions): Promise<InitResult> {
  const paths = vendorPaths(dir);
  if (await exists(paths.config)) throw new Error(`${dir} already holds a vendor; nothing changed`);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const { publicKey, privateKeyPem } = generateSigningKey();
  await writePrivateFile(paths.signingKey, privateKeyPem);
  await writePrivateFile(paths.keySecret, `${newKeySecret()}\n`);
  await writeFile(paths.publicKey, `${publicKey}\n`);

  const publicUrl = options.publicUrl ?? `http://${hostForUrl(options.host)}:${options.port}`;
  const catalog = exampleCatalog(options.name, publicKey, publicUrl);
  await writeFile(paths.catalog, `${JSON.stringify(catalog, null, 2)}\n`);
  const config: ServiceConfigInput = {
    listen: { host: options.host, port: options.port },
    publicUrl,
  };
  await writeFile(paths.config, `${JSON.stringify(config, null, 2)}\n`);

  const vdb = await openVendorDb(paths.database);
  const adminToken = await createToken(vdb.db, 'admin', 'created by init', Date.now());
  await vdb.close();
  return { dir, publicKey, adminToken };
}

/** A host as it appears in a URL: IPv6 in brackets. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
