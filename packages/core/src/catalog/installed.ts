import { openDocument, splitDocument } from '../documents/document.js';
import { matchesShape } from '../documents/shape.js';
import { fail, ok, type Result } from '../result.js';
import type { Catalog } from './schema.js';

const CATALOG_SHAPE = {
  version: 'number',
  vendor: { name: 'string', publicKey: 'string' },
  serviceUrl: 'string',
  products: { length: 'number' },
} as const;

/**
 * Opens a catalog that was fully validated when it was installed (`openCatalog`): checks the
 * signature and the trusted key again, but not every field, so reading a machine's status does
 * not load a schema library. The signed payload is the validated catalog with its defaults
 * filled in, so the signature alone proves it is what passed validation at signing time.
 */
export function readInstalledCatalog(text: string, trustedVendorKey?: string): Result<Catalog> {
  const parts = splitDocument(text);
  if (!parts.ok || parts.value.kind !== 'catalog') {
    return fail('catalog.malformed', 'not a signed catalog document');
  }
  const payload = parts.value.payload;
  if (!matchesShape(payload, CATALOG_SHAPE) || (payload as Catalog).version !== 1) {
    return fail('catalog.malformed', 'the catalog does not have the fields of version 1');
  }
  const key = (payload as Catalog).vendor.publicKey;
  if (trustedVendorKey !== undefined && key !== trustedVendorKey) {
    return fail(
      'catalog.untrusted',
      'the catalog is signed by a vendor key this machine does not trust',
    );
  }
  if (!openDocument(text, 'catalog', key).ok) {
    return fail('catalog.signature', 'the catalog signature does not verify');
  }
  return ok(payload as Catalog);
}
