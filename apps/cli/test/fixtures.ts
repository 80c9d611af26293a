import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, mintProductKey, signCatalog, signDocument } from '@slm/core';
import { afterEach } from 'vitest';

/** Activation IDs of the test catalog's SKUs. */
export const SKU = {
  retail: 'a0000000-0000-4000-8000-000000000101',
  volume: 'a0000000-0000-4000-8000-000000000102',
  host: 'b0000000-0000-4000-8000-000000000201',
  noRearm: 'c0000000-0000-4000-8000-000000000301',
} as const;

const SECRET = new Uint8Array(32).fill(9);

/** Throwaway product keys for the test catalog. */
export const KEYS = {
  retail: mintProductKey(SECRET, { channel: 'retail', skuCode: 101, serial: 1 }),
  retail2: mintProductKey(SECRET, { channel: 'retail', skuCode: 101, serial: 2 }),
  volume: mintProductKey(SECRET, { channel: 'volume_client', skuCode: 102, serial: 3 }),
  host: mintProductKey(SECRET, { channel: 'volume_host', skuCode: 201, serial: 4 }),
  noRearm: mintProductKey(SECRET, { channel: 'retail', skuCode: 301, serial: 5 }),
  foreign: mintProductKey(SECRET, { channel: 'retail', skuCode: 999, serial: 6 }),
  mak: mintProductKey(SECRET, { channel: 'mak', skuCode: 101, serial: 7 }),
};

/** The test vendor: one key pair for every test run. */
export const VENDOR = generateSigningKey();

const sku = (
  activationId: string,
  skuCode: number,
  name: string,
  channels: string[],
  extra = {},
) => ({
  activationId,
  skuCode,
  name,
  description: `Example ${name}`,
  channels,
  ...extra,
});

/** What a test may vary in the catalog: when it was issued, the retail SKU's initial grace. */
export interface CatalogOptions {
  readonly issuedAt?: string;
  readonly initialGraceDays?: number;
}

/** The signed test catalog: three products, one with rearm switched off. */
export function catalogText(vendor = VENDOR, options: CatalogOptions = {}): string {
  const grace =
    options.initialGraceDays === undefined ? {} : { initialGraceDays: options.initialGraceDays };
  const signed = signCatalog(
    {
      version: 1,
      vendor: { name: 'Example Vendor', publicKey: vendor.publicKey },
      serviceUrl: 'https://activation.example/',
      issuedAt: options.issuedAt ?? '2025-01-01T00:00:00Z',
      products: [
        {
          productId: 'a0000000-0000-4000-8000-000000000001',
          name: 'Example Desktop',
          skus: [
            sku(SKU.retail, 101, 'Professional', ['retail', 'oem', 'mak'], grace),
            sku(SKU.volume, 102, 'Enterprise', ['volume_client']),
          ],
        },
        {
          productId: 'b0000000-0000-4000-8000-000000000002',
          name: 'Example Server',
          skus: [sku(SKU.host, 201, 'Datacenter', ['volume_host'], { serverClass: true })],
        },
        {
          productId: 'c0000000-0000-4000-8000-000000000003',
          name: 'Example Tool',
          skus: [sku(SKU.noRearm, 301, 'Standard', ['retail'], { rearmLimit: 0 })],
        },
      ],
    } as never,
    vendor.privateKeyPem,
  );
  if (!signed.ok) throw signed.error;
  return signed.value;
}

/** A signed issuance licence from the test vendor. */
export function issuanceLicence(ilid: string, ilvid: number): string {
  const payload = { ilid, ilvid, validTo: '2030-01-01T00:00:00Z', info: 'Example token licence' };
  return signDocument('issuance-licence', payload, VENDOR.privateKeyPem);
}

const homes: string[] = [];
afterEach(() => {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh store home whose licence folder holds the test catalog; readable by other users. */
export function makeHome(): string {
  const parent = mkdtempSync(join(tmpdir(), 'slmgr-'));
  chmodSync(parent, 0o755);
  homes.push(parent);
  const home = join(parent, 'home');
  mkdirSync(join(home, 'licences'), { recursive: true });
  writeFileSync(join(home, 'licences', 'catalog.slm'), catalogText());
  return home;
}
