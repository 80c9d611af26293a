import { randomUUID } from 'node:crypto';
import type { CatalogInput } from '@slm/core';

/** The catalog a new vendor starts from: one product with a desktop and a server SKU. */
export function exampleCatalog(vendorName: string, publicKey: string, serviceUrl: string) {
  const catalog: CatalogInput = {
    version: 1,
    vendor: { name: vendorName, publicKey },
    serviceUrl,
    issuedAt: new Date().toISOString(),
    products: [
      {
        productId: randomUUID(),
        name: 'Example Studio',
        skus: [
          {
            activationId: randomUUID(),
            skuCode: 101,
            name: 'Example Studio Professional',
            description: 'Desktop edition',
            channels: ['retail', 'oem', 'mak', 'volume_client', 'volume_host'],
            makActivationLimit: 5,
          },
          {
            activationId: randomUUID(),
            skuCode: 201,
            name: 'Example Studio Server',
            description: 'Server edition',
            channels: ['retail', 'mak', 'volume_client', 'volume_host'],
            serverClass: true,
          },
        ],
      },
    ],
  };
  return catalog;
}
