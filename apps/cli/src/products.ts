import { fail, ok, type Result } from '@slm/core/status';
import { findSku, type InstalledSku, installedSkus, type Machine } from './machine.js';

/** The products a command acts on: one activation ID, `all`, or those with a key installed. */
export function selectProducts(machine: Machine, target: string | null): Result<InstalledSku[]> {
  if (target === 'all') return ok(installedSkus(machine));
  if (target !== null) {
    const sku = findSku(machine, target);
    return sku.ok ? ok([sku.value]) : sku;
  }
  const withKey = installedSkus(machine).filter(
    ({ sku }) => machine.state.products[sku.activationId]?.key != null,
  );
  if (withKey.length > 0) return ok(withKey);
  return fail(
    'key.not_installed',
    'no product key is installed: install one with slmgr /ipk KEY (slmgr /dli all lists every product)',
  );
}

/** The one product an option acts on: the given activation ID, else the first with a key. */
export function selectProduct(machine: Machine, target: string | null): Result<InstalledSku> {
  const products = selectProducts(machine, target);
  if (!products.ok) return products;
  const [first] = products.value;
  return first === undefined ? fail('product.not_found', 'no product is installed') : ok(first);
}

/** "Product, Edition edition", as slmgr names a licence. */
export function productName({ product, sku }: InstalledSku): string {
  return `${product.name}, ${sku.name} edition`;
}
