import { DEFAULT_PRODUCT_SETTINGS } from '../licence/defaults.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { ProductSettings, SettingChange, SettingsState, SettingsUpdate } from './types.js';

type Scalar = string | number | boolean | null;

/** Lists the fields whose values differ, named with a dotted prefix (`kms.port`). */
export function diffSettings(
  prefix: string,
  before: Readonly<Record<string, Scalar>>,
  after: Readonly<Record<string, Scalar>>,
): SettingChange[] {
  return Object.keys(after)
    .filter((field) => before[field] !== after[field])
    .map((field) => ({
      setting: `${prefix}${field}`,
      from: before[field] ?? null,
      to: after[field] ?? null,
    }));
}

/** The per-product settings of an installed product, or product.not_found. */
export function productSettings(
  state: SettingsState,
  activationId: string,
): Result<ProductSettings> {
  const product = state.products[activationId];
  if (product === undefined) {
    return fail(
      'product.not_found',
      `no installed product has activation ID ${activationId}: list them with slmgr /dli all`,
      { activationId },
    );
  }
  return ok(product.settings ?? DEFAULT_PRODUCT_SETTINGS);
}

/** Applies new settings to one product and reports the changes. */
export function updateProduct<S extends SettingsState>(
  state: S,
  activationId: string,
  next: ProductSettings,
  changes: SettingChange[],
): SettingsUpdate<S> {
  const product = state.products[activationId];
  const products = { ...state.products, [activationId]: { ...product, settings: next } };
  return { state: { ...state, products }, activationId, changes };
}

/** Applies new machine-wide settings and reports the changes. */
export function updateMachine<S extends SettingsState>(
  state: S,
  settings: S['settings'],
  changes: SettingChange[],
): SettingsUpdate<S> {
  return { state: { ...state, settings }, activationId: null, changes };
}
