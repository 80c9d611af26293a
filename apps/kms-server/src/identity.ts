import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  catalogSkus,
  fail,
  type HostCertificate,
  ok,
  openCatalog,
  openHostCertificate,
  publicKeyOf,
  type Result,
} from '@slm/core';
import { z } from 'zod';

/** What the host needs to answer for one product: its family, threshold and validity. */
export interface ServedSku {
  readonly activationId: string;
  /** Client machines are counted per product family (the catalog's product). */
  readonly family: string;
  readonly threshold: number;
  readonly validityDays: number;
}

/** The host's identity: its key, the vendor's certificate for it, and what it may activate. */
export interface HostIdentity {
  readonly hostPrivateKeyPem: string;
  readonly hostCertificate: string;
  readonly certificate: HostCertificate;
  readonly vendorPublicKey: string;
  /** Products the certificate names and the catalog knows, by activation ID. */
  readonly skus: ReadonlyMap<string, ServedSku>;
  /** The highest threshold of each family in the catalog: what a client may ask for at most. */
  readonly familyCeilings: ReadonlyMap<string, number>;
}

/** The identity as stored: what `slmgr /ato` with an activated volume host key leaves behind. */
export const identityFileSchema = z.object({
  hostPrivateKeyPem: z.string().min(1),
  hostCertificate: z.string().min(1),
  vendorPublicKey: z.string().min(43).max(44),
  catalog: z.string().min(1),
});
export type IdentityFile = z.output<typeof identityFileSchema>;

/** Where the identity lives inside a machine store home: owner-only, beside other secrets. */
export function identityPath(home: string): string {
  return join(home, 'private', 'volume-host.json');
}

/** Loads and checks the identity in a store home; says why the host cannot start when it fails. */
export function loadHostIdentity(home: string, now: number): Result<HostIdentity> {
  let text: string;
  try {
    text = readFileSync(identityPath(home), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      return fail(
        'store.permission',
        `${identityPath(home)} cannot be read by this user: run slm-kms as the user who owns ` +
          `${home} (the host key is readable by its owner only)`,
      );
    }
    return notActivated(home);
  }
  const parsed = identityFileSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    return fail('grant.malformed', `${identityPath(home)} is not a volume host identity${AGAIN}`);
  }
  const checked = checkIdentity(parsed.data, now);
  if (checked.ok) return checked;
  const { code, message, context } = checked.error;
  return fail(code, `${identityPath(home)}: ${message}`, context);
}

const AGAIN = ': activate the host key again with slmgr /ato, or restore the file from a backup';

/** Checks an identity: the vendor signed the certificate, for this key, and it is in force. */
export function checkIdentity(file: IdentityFile, now: number): Result<HostIdentity> {
  const certificate = openHostCertificate(file.hostCertificate, file.vendorPublicKey);
  if (!certificate.ok) return certificate;
  const hostPublicKey = publicKeyOrNull(file.hostPrivateKeyPem);
  if (hostPublicKey === null) {
    return fail('grant.malformed', `hostPrivateKeyPem is not an Ed25519 private key${AGAIN}`);
  }
  if (hostPublicKey !== certificate.value.hostPublicKey) {
    return fail(
      'grant.wrong_key',
      `the host certificate is for another host key than hostPrivateKeyPem${AGAIN}`,
    );
  }
  if (certificate.value.expiresAt !== null && certificate.value.expiresAt <= now) {
    return fail('grant.expired', 'the host certificate has expired: activate the host key again');
  }
  const catalog = openCatalog(file.catalog, file.vendorPublicKey);
  if (!catalog.ok) return catalog;
  const skus = servedSkus(catalog.value, certificate.value);
  return ok({
    hostPrivateKeyPem: file.hostPrivateKeyPem,
    hostCertificate: file.hostCertificate,
    certificate: certificate.value,
    vendorPublicKey: file.vendorPublicKey,
    skus,
    familyCeilings: ceilings(skus),
  });
}

function servedSkus(
  catalog: Parameters<typeof catalogSkus>[0],
  certificate: HostCertificate,
): Map<string, ServedSku> {
  const served = new Map<string, ServedSku>();
  for (const { product, sku } of catalogSkus(catalog)) {
    if (!certificate.activationIds.includes(sku.activationId)) continue;
    served.set(sku.activationId, {
      activationId: sku.activationId,
      family: product.productId,
      threshold: sku.volumeThreshold,
      validityDays: sku.volumeValidityDays,
    });
  }
  return served;
}

function ceilings(skus: ReadonlyMap<string, ServedSku>): Map<string, number> {
  const result = new Map<string, number>();
  for (const sku of skus.values()) {
    result.set(sku.family, Math.max(result.get(sku.family) ?? 0, sku.threshold));
  }
  return result;
}

function notActivated(home: string): Result<never> {
  return fail(
    'activation.unavailable',
    `this machine is not an activated volume host: no host identity at ${identityPath(home)}. ` +
      'Install a volume host key with slmgr /ipk and activate it with slmgr /ato first.',
  );
}

// The key itself never goes into the message: only that it is not one.
function publicKeyOrNull(privateKeyPem: string): string | null {
  try {
    return publicKeyOf(privateKeyPem);
  } catch {
    return null;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
