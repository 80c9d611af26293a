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

/** Loads the vendor's secrets from its directory; a bad file is an error naming it. */
export async function loadSecrets(paths: VendorPaths): Promise<VendorSecrets> {
  const privateKeyPem = await readVendorFile(paths.signingKey);
  const secretText = (await readVendorFile(paths.keySecret)).trim();
  const keySecret = fromBase64Url(secretText);
  if (keySecret?.length !== 32) {
    throw new Error(`${paths.keySecret}: not a 32-byte secret in base64url`);
  }
  return { privateKeyPem, publicKey: publicKeyFrom(paths.signingKey, privateKeyPem), keySecret };
}

// The decoder's own message ("error:1E08010C:DECODER routines::unsupported") names no file.
function publicKeyFrom(file: string, privateKeyPem: string): string {
  try {
    return publicKeyOf(privateKeyPem);
  } catch {
    throw new Error(`${file}: not an Ed25519 private key in PEM form`);
  }
}

/** Reads a text file of the vendor folder; a missing or unreadable one is an error naming it. */
export async function readVendorFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: ${fileProblem(error)}`);
  }
}

/** Reads a JSON file of the vendor folder; text that is not JSON is an error naming the file. */
export async function readVendorJson(file: string): Promise<unknown> {
  const text = await readVendorFile(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** What a failed file operation means, in words, without the path Node puts in its message. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'missing';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'a folder, not a file';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  return error instanceof Error ? error.message : String(error);
}

/** The folder or options given to a command cannot make or open a vendor: a usage error. */
export class VendorUsageError extends Error {
  override readonly name: string = 'VendorUsageError';
}
