import type { VendorDb } from '../db/open.js';
import type { CatalogState } from '../vendor/catalogs.js';
import type { VendorSecrets } from '../vendor/files.js';

/** What activation needs: the database, the vendor's secrets, the catalog and a clock. */
export interface ActivationDeps {
  readonly vdb: VendorDb;
  readonly secrets: VendorSecrets;
  readonly catalogs: CatalogState;
  readonly now: () => number;
}
