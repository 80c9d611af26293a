import type { VendorDb } from '../db/open.js';
import type { CatalogState } from '../vendor/catalogs.js';
import type { VendorSecrets } from '../vendor/files.js';
import type { Signer } from '../vendor/signer.js';

/** What activation needs: the database, the vendor's secrets and signer, the catalog, a clock. */
export interface ActivationDeps {
  readonly vdb: VendorDb;
  readonly secrets: VendorSecrets;
  /** Signs with `secrets.privateKeyPem`, possibly on other threads. */
  readonly signer: Signer;
  readonly catalogs: CatalogState;
  readonly now: () => number;
}
