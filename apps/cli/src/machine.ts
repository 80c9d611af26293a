import {
  type Catalog,
  type CatalogSku,
  catalogSkus,
  type EvaluationContext,
  evaluate as evaluateState,
  fail,
  findSkuByActivationId,
  type LicenceStatus,
  type MachineState,
  machineFingerprint,
  newMachineState,
  observe,
  ok,
  type Result,
  readInstalledCatalog,
} from '@slm/core/status';
import {
  changeMachineStore,
  type MachineStore,
  openMachineStore,
  type StoreTransaction,
  type StoreView,
} from '@slm/machine-store';
import type { Context } from './context.js';
import type { CommandError } from './errors.js';
import { installFolder } from './install-folder.js';
import { checkStorePaths } from './store-paths.js';

/** The machine as commands see it: its state, installed catalogs and identity. */
export interface Machine {
  readonly state: MachineState;
  readonly catalogs: readonly Catalog[];
  readonly storeId: string;
  readonly writable: boolean;
  /** The store as this command's transaction sees it (public notes, licence files). */
  readonly view: StoreView;
}

/** A SKU found in an installed catalog, with the catalog that vouches for it. */
export interface InstalledSku extends CatalogSku {
  readonly catalog: Catalog;
}

/** Opens the store; an administrator's first change creates it and installs the licence folder. */
export function openStore(
  ctx: Context,
  access: 'read' | 'write',
  check = false,
): Result<MachineStore, CommandError> {
  const paths = checkStorePaths(ctx);
  if (!paths.ok) return paths;
  const opened = openMachineStore({
    home: ctx.home,
    licenceDir: ctx.licenceDir,
    access,
    check,
    now: ctx.now,
  });
  if (!opened.ok || !opened.value.writable) return opened;
  const initialised = initialise(ctx, opened.value);
  if (initialised.ok) return opened;
  opened.value.close();
  return initialised;
}

/** Reads the machine and runs a display command over it. */
export function readMachine<T>(
  ctx: Context,
  use: (machine: Machine) => Result<T, CommandError>,
): Result<T, CommandError> {
  const opened = openStore(ctx, 'read');
  if (!opened.ok) return opened;
  const store = opened.value;
  try {
    const read = store.read((view) => {
      const machine = machineOf(ctx, view, store.writable);
      const stored = view.state() as MachineState | null;
      const stale = store.writable && stored !== null && worthSaving(stored, machine.state);
      return { result: use(machine), stale };
    });
    if (!read.ok) return read;
    if (read.value.stale) recordObservation(ctx, store);
    return read.value.result;
  } finally {
    store.close();
  }
}

/**
 * Saves what a display command observed (trusted time, a clock moved back, a forged grant or
 * hardware drift first seen), so a clock moved back later cannot lengthen a grace. Only an
 * administrator can save; trusted time is saved when it moved on by a minute or more, so most
 * displays read the store once and write nothing.
 */
function recordObservation(ctx: Context, store: MachineStore): void {
  store.update((tx) => {
    tx.setState(machineOf(ctx, tx, true).state);
    return ok(undefined);
  });
}

function worthSaving(stored: MachineState, observed: MachineState): boolean {
  if (observed.trustedTime - stored.trustedTime >= 60_000) return true;
  if (observed.clockMovedBackAt !== stored.clockMovedBackAt) return true;
  return Object.values(observed.products).some((product) => {
    const before = stored.products[product.activationId];
    return (
      before?.nonGenuineSince !== product.nonGenuineSince ||
      before?.driftSince !== product.driftSince
    );
  });
}

/**
 * Runs a change as one transaction; the state the change returns is saved with it. On a machine
 * without a store the change creates it, and a change that fails leaves no store behind.
 */
export function changeMachine<T>(
  ctx: Context,
  change: (
    machine: Machine,
    tx: StoreTransaction,
  ) => Result<T & { state: MachineState }, CommandError>,
): Result<T, CommandError> {
  const paths = checkStorePaths(ctx);
  if (!paths.ok) return paths;
  const options = { home: ctx.home, licenceDir: ctx.licenceDir, access: 'write' as const };
  return changeMachineStore({ ...options, now: ctx.now }, (store) => {
    const initialised = initialise(ctx, store);
    if (!initialised.ok) return initialised;
    return store.update((tx) => {
      const result = change(machineOf(ctx, tx, true), tx);
      if (result.ok) tx.setState(result.value.state);
      return result as Result<T, never>;
    });
  });
}

/** Every SKU of the installed catalogs. */
export function installedSkus(machine: Machine): InstalledSku[] {
  return machine.catalogs.flatMap((catalog) =>
    catalogSkus(catalog).map((found) => ({ ...found, catalog })),
  );
}

/** The installed SKU with that activation ID, or product.not_found. */
export function findSku(machine: Machine, activationId: string): Result<InstalledSku> {
  for (const catalog of machine.catalogs) {
    const found = findSkuByActivationId(catalog, activationId);
    if (found !== null) return ok({ ...found, catalog });
  }
  return fail(
    'product.not_found',
    `no installed product has activation ID ${activationId}: list them with slmgr /dli all`,
    { activationId },
  );
}

/** The identity components of this machine for one product, as grants are bound to them. */
export function bindingFor(ctx: Context, machine: Machine, sku: InstalledSku) {
  const facts = { ...ctx.io.machineFacts(), store: machine.storeId };
  return machineFingerprint(facts, sku.product.productId);
}

/** What core needs to evaluate a product now. */
export function evaluationContext(
  ctx: Context,
  machine: Machine,
  sku: InstalledSku,
): EvaluationContext {
  const { components } = bindingFor(ctx, machine, sku);
  return { now: ctx.now, sku: sku.sku, vendorKey: sku.catalog.vendor.publicKey, components };
}

/** The licence status of one product now. */
export function statusOf(ctx: Context, machine: Machine, sku: InstalledSku): LicenceStatus {
  return evaluateState(machine.state, evaluationContext(ctx, machine, sku));
}

function machineOf(ctx: Context, view: StoreView, writable: boolean): Machine {
  const stored = view.state() as MachineState | null;
  const catalogs = view
    .licenceFiles('catalog')
    .map((file) => readInstalledCatalog(file.content))
    .flatMap((opened) => (opened.ok ? [opened.value] : []));
  const state = stored ?? newMachineState(ctx.io.randomBytes, ctx.now);
  const machine = { state, catalogs, storeId: view.storeId, writable, view };
  return { ...machine, state: observed(ctx, machine) };
}

/** The state as seen now: trusted time raised, first sightings of problems recorded. */
function observed(ctx: Context, machine: Machine): MachineState {
  const skus = installedSkus(machine);
  if (skus.length === 0) {
    return { ...machine.state, trustedTime: Math.max(machine.state.trustedTime, ctx.now) };
  }
  return skus.reduce(
    (state, sku) => observe(state, evaluationContext(ctx, { ...machine, state }, sku)),
    machine.state,
  );
}

function initialise(ctx: Context, store: MachineStore): Result<void> {
  const existing = store.read((view) => view.state() !== null);
  if (!existing.ok || existing.value) return existing.ok ? ok(undefined) : existing;
  return store.update((tx) => {
    if (tx.state() !== null) return ok(undefined);
    installFolder(ctx, tx, readInstalledCatalog);
    tx.setState(newMachineState(ctx.io.randomBytes, ctx.now));
    return ok(undefined);
  });
}
