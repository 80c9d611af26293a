import {
  type Catalog,
  findSkuByActivationId,
  type MachineState,
  machineFingerprint,
  ok,
  openCatalog,
  type ProductLicence,
  type Result,
  type StoredGrant,
  verifyStoredGrant,
} from '@slm/core';
import {
  openMachineStore,
  type Salvage,
  type StoreTransaction,
  setAsideDamagedStore,
  storePaths,
} from '@slm/machine-store';
import type { Context } from './context.js';
import { catalogsOf, type FolderInstall, installFolder } from './install-folder.js';
import { verifyLicenceFile } from './licence-files.js';

/** What rebuilding a damaged store did. */
export interface Rebuilt extends FolderInstall {
  /** Where the damaged database was moved; null when it was lost (only remnants were left). */
  readonly damagedPath: string | null;
  readonly keptActivations: number;
  readonly droppedActivations: number;
  readonly stateRecovered: boolean;
  /** Licence files read back from the damaged database (installed with /ilc FILE). */
  readonly restored: readonly { id: string; kind: string; name: string }[];
}

/**
 * Sets a damaged store aside and builds a new one with the same store id: the licence folder's
 * files, extra licence files that still verify, and the last readable state keeping only grants
 * that still verify with an installed catalog's vendor key on this machine.
 */
export function rebuildStore(ctx: Context): Result<Rebuilt> {
  const salvage = setAsideDamagedStore(storePaths(ctx.home, ctx.licenceDir), ctx.now);
  const opened = openMachineStore({
    home: ctx.home,
    licenceDir: ctx.licenceDir,
    access: 'write',
    rebuild: true,
    storeId: salvage.storeId ?? undefined,
    now: ctx.now,
  });
  if (!opened.ok) return opened;
  const store = opened.value;
  try {
    return store.update((tx) => {
      const install = installFolder(ctx, tx, openCatalog);
      const restored = restoreExtraFiles(ctx, salvage, tx);
      const kept = keepVerified(ctx, salvage, catalogsOf(tx), store.storeId);
      if (kept.state !== null) tx.setState(kept.state);
      return ok({
        ...install,
        ...kept.counts,
        restored,
        damagedPath: salvage.damagedPath,
        stateRecovered: kept.state !== null,
      });
    });
  } finally {
    store.close();
  }
}

function restoreExtraFiles(
  ctx: Context,
  salvage: Salvage,
  tx: StoreTransaction,
): Rebuilt['restored'] {
  const installed = new Set(tx.licenceFiles().map((file) => file.id));
  const restored: Rebuilt['restored'][number][] = [];
  for (const file of salvage.licenceFiles.filter((f) => f.origin === 'file')) {
    const source = { name: file.name, origin: 'file' as const, now: ctx.now };
    const verified = verifyLicenceFile(file.content, source, catalogsOf(tx), openCatalog);
    if (!verified.ok || installed.has(verified.value.id)) continue;
    tx.putLicenceFile(verified.value);
    restored.push({ id: verified.value.id, kind: verified.value.kind, name: file.name });
  }
  return restored;
}

function keepVerified(ctx: Context, salvage: Salvage, catalogs: Catalog[], storeId: string) {
  const state = salvage.state as MachineState | null;
  const counts = { keptActivations: 0, droppedActivations: 0 };
  if (state === null || typeof state !== 'object' || state.products === undefined)
    return { state: null, counts };
  const products: Record<string, ProductLicence> = {};
  for (const product of Object.values(state.products)) {
    const grants = verifiedGrants(ctx, state, product, catalogs, storeId);
    counts.keptActivations += grants.length;
    counts.droppedActivations += product.grants.length - grants.length;
    products[product.activationId] = { ...product, grants };
  }
  return { state: { ...state, products }, counts };
}

function verifiedGrants(
  ctx: Context,
  state: MachineState,
  product: ProductLicence,
  catalogs: Catalog[],
  storeId: string,
): StoredGrant[] {
  const found = catalogs
    .map((c) => ({ c, sku: findSkuByActivationId(c, product.activationId) }))
    .find((x) => x.sku);
  if (found?.sku == null || product.key === null) return [];
  const { components } = machineFingerprint(
    { ...ctx.io.machineFacts(), store: storeId },
    found.sku.product.productId,
  );
  const grantCtx = {
    vendorKey: found.c.vendor.publicKey,
    activationId: product.activationId,
    key: product.key,
    clientMachineId: state.clientMachineId,
    components,
  };
  return product.grants.filter((grant) => verifyStoredGrant(grant, grantCtx).ok);
}
