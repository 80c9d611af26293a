import type { Catalog } from './schema.js';

/**
 * How a catalog stands against the installed catalogs of the same vendor key that share a product
 * or SKU with it: `older` when one of them was issued later (installing it would roll their
 * terms back, a longer grace say), `unrelated` when none shares anything with it.
 */
export type CatalogSuccession =
  | { readonly verdict: 'unrelated' | 'same' | 'newer' }
  | { readonly verdict: 'older'; readonly installedIssuedAt: string; readonly issuedAt: string };

/**
 * Decides whether `incoming` may replace what is installed: a vendor's older catalog never
 * replaces a newer one (reinstalling the same one is fine). Pure; the adapter refuses `older`.
 */
export function catalogSuccession(
  installed: readonly Catalog[],
  incoming: Catalog,
): CatalogSuccession {
  const related = installed.filter((catalog) => sharesProducts(catalog, incoming));
  if (related.length === 0) return { verdict: 'unrelated' };
  const issued = Date.parse(incoming.issuedAt);
  const newest = related.reduce((a, b) =>
    Date.parse(b.issuedAt) > Date.parse(a.issuedAt) ? b : a,
  );
  if (Date.parse(newest.issuedAt) > issued) {
    return { verdict: 'older', installedIssuedAt: newest.issuedAt, issuedAt: incoming.issuedAt };
  }
  return { verdict: Date.parse(newest.issuedAt) === issued ? 'same' : 'newer' };
}

function sharesProducts(a: Catalog, b: Catalog): boolean {
  if (a.vendor.publicKey !== b.vendor.publicKey) return false;
  const ids = new Set(idsOf(a));
  return idsOf(b).some((id) => ids.has(id));
}

function idsOf(catalog: Catalog): string[] {
  return catalog.products.flatMap((product) => [
    product.productId,
    ...product.skus.map((sku) => sku.activationId),
  ]);
}
