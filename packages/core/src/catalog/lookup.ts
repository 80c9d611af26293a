import type { Catalog, Product, Sku } from './schema.js';

/** A SKU together with the product it belongs to. */
export interface CatalogSku {
  readonly product: Product;
  readonly sku: Sku;
}

/** Finds a SKU by activation ID (any case). */
export function findSkuByActivationId(catalog: Catalog, activationId: string): CatalogSku | null {
  return skusById(catalog).get(activationId.toLowerCase()) ?? null;
}

// A service looks a SKU up on every request; each catalog (immutable once opened) is indexed
// once, on first use.
const INDEX = new WeakMap<Catalog, ReadonlyMap<string, CatalogSku>>();

function skusById(catalog: Catalog): ReadonlyMap<string, CatalogSku> {
  let index = INDEX.get(catalog);
  if (index === undefined) {
    index = new Map(catalogSkus(catalog).map((entry) => [entry.sku.activationId, entry]));
    INDEX.set(catalog, index);
  }
  return index;
}

/** Finds a SKU by the code that product keys carry. */
export function findSkuByCode(catalog: Catalog, skuCode: number): CatalogSku | null {
  return findSku(catalog, (sku) => sku.skuCode === skuCode);
}

/** Every SKU of a catalog with its product. */
export function catalogSkus(catalog: Catalog): CatalogSku[] {
  return catalog.products.flatMap((product) => product.skus.map((sku) => ({ product, sku })));
}

function findSku(catalog: Catalog, match: (sku: Sku) => boolean): CatalogSku | null {
  return catalogSkus(catalog).find(({ sku }) => match(sku)) ?? null;
}
