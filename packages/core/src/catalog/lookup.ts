import type { Catalog, Product, Sku } from './schema.js';

/** A SKU together with the product it belongs to. */
export interface CatalogSku {
  readonly product: Product;
  readonly sku: Sku;
}

/** Finds a SKU by activation ID (any case). */
export function findSkuByActivationId(catalog: Catalog, activationId: string): CatalogSku | null {
  const id = activationId.toLowerCase();
  return findSku(catalog, (sku) => sku.activationId === id);
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
