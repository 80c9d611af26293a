export { openCatalog, parseCatalog, signCatalog } from './catalog.js';
export { readInstalledCatalog } from './installed.js';
export { type CatalogSku, catalogSkus, findSkuByActivationId, findSkuByCode } from './lookup.js';
export {
  type Catalog,
  type CatalogInput,
  catalogSchema,
  guidSchema,
  type Product,
  type Sku,
} from './schema.js';
