import type { z } from 'zod';
import { isPublicKey, publicKeyOf } from '../crypto.js';
import { openDocument, signDocument, splitDocument } from '../documents/document.js';
import { fail, ok, type Result } from '../result.js';
import { type Catalog, type CatalogInput, catalogSchema } from './schema.js';

/** Validates an unsigned catalog; catalog.malformed names the first bad field. */
export function parseCatalog(input: unknown): Result<Catalog> {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success) return fail('catalog.malformed', describeIssue(parsed.error));
  if (!isPublicKey(parsed.data.vendor.publicKey)) {
    return fail('catalog.malformed', 'vendor.publicKey is not an Ed25519 public key');
  }
  return ok(parsed.data);
}

/** Validates a catalog and signs it with the vendor key it names. */
export function signCatalog(input: CatalogInput, vendorPrivateKeyPem: string): Result<string> {
  const catalog = parseCatalog(input);
  if (!catalog.ok) return catalog;
  if (publicKeyOf(vendorPrivateKeyPem) !== catalog.value.vendor.publicKey) {
    return fail('catalog.untrusted', 'vendor.publicKey does not belong to the signing key');
  }
  return ok(signDocument('catalog', catalog.value, vendorPrivateKeyPem));
}

/**
 * Opens a signed catalog. With `trustedVendorKey`, a catalog from any other vendor key is refused
 * (catalog.untrusted), so a product only trusts the key it names.
 */
export function openCatalog(text: string, trustedVendorKey?: string): Result<Catalog> {
  const parts = splitDocument(text);
  if (!parts.ok || parts.value.kind !== 'catalog') {
    return fail('catalog.malformed', 'not a signed catalog document');
  }
  const catalog = parseCatalog(parts.value.payload);
  if (!catalog.ok) return catalog;
  const key = catalog.value.vendor.publicKey;
  if (trustedVendorKey !== undefined && key !== trustedVendorKey) {
    return fail(
      'catalog.untrusted',
      'the catalog is signed by a vendor key this machine does not trust',
    );
  }
  const verified = openDocument(text, 'catalog', key);
  if (!verified.ok) return fail('catalog.signature', 'the catalog signature does not verify');
  return catalog;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'the catalog is not valid';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'catalog';
  return `${path}: ${issue.message}`;
}
