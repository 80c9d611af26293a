import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromBase64Url, publicKeyOf, toBase64Url } from '@slm/core';

/** Where a vendor directory keeps each thing. */
export function vendorPaths(dir: string) {
  return {
    dir,
    config: join(dir, 'config.json'),
    signingKey: join(dir, 'vendor-signing-key.pem'),
    keySecret: join(dir, 'vendor-key-secret'),
    publicKey: join(dir, 'vendor-public-key.txt'),
    database: join(dir, 'vendor.sqlite'),
    catalog: join(dir, 'catalog.json'),
    signedCatalog: join(dir, 'catalog.signed'),
  };
}

export type VendorPaths = ReturnType<typeof vendorPaths>;

/** The vendor's secrets: the Ed25519 signing key and the product-key authenticator secret. */
export interface VendorSecrets {
  readonly privateKeyPem: string;
  readonly publicKey: string;
  readonly keySecret: Uint8Array;
}

/** Writes a file only its owner may read or write. */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
}

/** A fresh 32-byte product-key secret, base64url. */
export function newKeySecret(): string {
  return toBase64Url(new Uint8Array(randomBytes(32)));
}

/** Loads the vendor's secrets from its directory. */
export async function loadSecrets(paths: VendorPaths): Promise<VendorSecrets> {
  const privateKeyPem = await readFile(paths.signingKey, 'utf8');
  const secretText = (await readFile(paths.keySecret, 'utf8')).trim();
  const keySecret = fromBase64Url(secretText);
  if (keySecret?.length !== 32) throw new Error(`${paths.keySecret}: not a 32-byte secret`);
  return { privateKeyPem, publicKey: publicKeyOf(privateKeyPem), keySecret };
}
