import type { Refusal } from '@slm/activation-client';
import { type Catalog, type CatalogSku, type Channel, findSkuByActivationId } from '@slm/core';
import { refusal } from './verdicts.js';

/** Finds the SKU a machine activates and checks that the key belongs to it and may do so. */
export function targetSku(
  found: CatalogSku | null,
  key: { readonly skuCode: number; readonly channel: Channel },
): { ok: true; value: CatalogSku } | { ok: false; refusal: Refusal } {
  if (found === null) return { ok: false, refusal: refusal('product.not_found') };
  if (found.sku.skuCode !== key.skuCode) {
    return { ok: false, refusal: refusal('key.wrong_product', undefined, { sku: found.sku.name }) };
  }
  if (!found.sku.channels.includes(key.channel)) {
    const message = `${found.sku.name} is not sold through the ${key.channel} channel.`;
    return { ok: false, refusal: refusal('key.wrong_channel', message) };
  }
  if (key.channel === 'volume_client') {
    const message = 'A volume client key activates against a volume host, not the vendor.';
    return { ok: false, refusal: refusal('key.wrong_channel', message) };
  }
  return { ok: true, value: found };
}

/** The SKU an activation ID names. */
export function skuOf(catalog: Catalog, activationId: string): CatalogSku | null {
  return findSkuByActivationId(catalog, activationId);
}

/** The products a volume host key's host may activate: the volume client SKUs of its product. */
export function hostActivationIds(target: CatalogSku): string[] {
  const ids = target.product.skus
    .filter((sku) => sku.channels.includes('volume_client'))
    .map((sku) => sku.activationId);
  return ids.length > 0 ? ids : [target.sku.activationId];
}
