import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, publicKeyOf } from '@slm/core/status';
import type { Context } from './context.js';

/**
 * What `/ato` with a volume host key leaves for the volume host (`slm-kms`): the host's own key,
 * the vendor's certificate for it, the vendor key and the signed catalog. The path and fields
 * are the host's contract (apps/kms-server/src/identity.ts); owner-only, beside the key copies.
 */
export interface HostIdentityFile {
  readonly hostPrivateKeyPem: string;
  readonly hostCertificate: string;
  readonly vendorPublicKey: string;
  readonly catalog: string;
}

/** Where the volume host identity lives in a store home. */
export function hostIdentityPath(ctx: Context): string {
  return join(ctx.home, 'private', 'volume-host.json');
}

/** The host key to certify: the one already certified on this machine, else a fresh one. */
export function hostKey(ctx: Context): { privateKeyPem: string; publicKey: string } {
  try {
    const file = JSON.parse(readFileSync(hostIdentityPath(ctx), 'utf8')) as HostIdentityFile;
    return {
      privateKeyPem: file.hostPrivateKeyPem,
      publicKey: publicKeyOf(file.hostPrivateKeyPem),
    };
  } catch {
    return generateSigningKey();
  }
}

/** Saves the certified identity, readable by the administrator only. */
export function saveHostIdentity(ctx: Context, identity: HostIdentityFile): void {
  const path = hostIdentityPath(ctx);
  writeFileSync(path, `${JSON.stringify(identity)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
