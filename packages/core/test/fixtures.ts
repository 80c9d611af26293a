// Builders for core tests: a throwaway vendor, its catalog, keys and grants.
import { randomBytes } from 'node:crypto';
import { openCatalog, signCatalog } from '../src/catalog/catalog.js';
import type { Catalog } from '../src/catalog/schema.js';
import { generateSigningKey, type SigningKeyPair } from '../src/crypto.js';
import { issueHostCertificate, issueMachineGrant, issueVolumeGrant } from '../src/grants/issue.js';
import type { StoredGrant } from '../src/grants/schema.js';
import {
  type Channel,
  mintProductKey,
  type ProductKey,
  parseProductKey,
} from '../src/keys/index.js';
import { DAY_MS, newMachineState } from '../src/licence/defaults.js';
import type { EvaluationContext } from '../src/licence/evaluate.js';
import type { MachineState } from '../src/licence/types.js';
import { machineFingerprint } from '../src/machine/identity.js';
import { unwrap } from '../src/result.js';

export const T0 = Date.UTC(2026, 0, 1);
export const DAY = DAY_MS;

export const IDS = {
  product: '11111111-1111-4111-8111-111111111111',
  retail: 'aaaaaaaa-0000-4000-8000-000000000001',
  volume: 'aaaaaaaa-0000-4000-8000-000000000002',
  server: 'aaaaaaaa-0000-4000-8000-000000000003',
  host: 'aaaaaaaa-0000-4000-8000-000000000004',
  norearm: 'aaaaaaaa-0000-4000-8000-000000000005',
} as const;

export const MACHINE = { 'machine-id': 'm-1', hostname: 'box', cpu: 'cpu-a', store: 's-1' };

/** A deterministic byte source for client machine IDs. */
export function seededBytes(seed = 1): (size: number) => Uint8Array {
  let next = seed;
  return (size) =>
    Uint8Array.from({ length: size }, () => (next = (next * 1103515245 + 12345) % 256));
}

/** A vendor with a signed catalog of five SKUs. */
export function makeVendor(keys: SigningKeyPair = generateSigningKey()) {
  const secret = new Uint8Array(randomBytes(32));
  const sku = (
    activationId: string,
    skuCode: number,
    name: string,
    channels: Channel[],
    extra = {},
  ) => ({
    activationId,
    skuCode,
    name,
    description: `${name} edition`,
    channels,
    ...extra,
  });
  const signed = unwrap(
    signCatalog(
      {
        version: 1,
        vendor: { name: 'Test Vendor', publicKey: keys.publicKey },
        serviceUrl: 'http://127.0.0.1:9/',
        issuedAt: new Date(T0).toISOString(),
        products: [
          {
            productId: IDS.product,
            name: 'Test Product',
            skus: [
              sku(IDS.retail, 10, 'Pro', ['retail', 'oem', 'mak', 'time_based']),
              sku(IDS.volume, 11, 'Enterprise', ['volume_client']),
              sku(IDS.server, 12, 'Server', ['volume_client'], { serverClass: true }),
              sku(IDS.host, 13, 'Volume Host', ['volume_host']),
              sku(IDS.norearm, 14, 'Kiosk', ['retail'], { rearmLimit: 0 }),
            ],
          },
        ],
      },
      keys.privateKeyPem,
    ),
  );
  const catalog = unwrap(openCatalog(signed, keys.publicKey));
  let serial = 0;
  const mint = (channel: Channel, skuCode: number): ProductKey =>
    unwrap(parseProductKey(mintProductKey(secret, { channel, skuCode, serial: ++serial })));
  return { keys, secret, signed, catalog, mint };
}

export type Vendor = ReturnType<typeof makeVendor>;

/** The SKU of an activation ID in the vendor's catalog. */
export function skuOf(catalog: Catalog, activationId: string) {
  const sku = catalog.products[0]?.skus.find(
    (candidate) => candidate.activationId === activationId,
  );
  if (sku === undefined) throw new Error(`no SKU ${activationId}`);
  return sku;
}

/** An evaluation context for one SKU at `now` on the test machine. */
export function contextFor(
  vendor: Vendor,
  activationId: string,
  now: number,
  machine: Record<string, string> = MACHINE,
): EvaluationContext {
  return {
    now,
    sku: skuOf(vendor.catalog, activationId),
    vendorKey: vendor.keys.publicKey,
    components: machineFingerprint(machine, IDS.product).components,
  };
}

/** A new machine state at T0. */
export function freshMachine(): MachineState {
  return newMachineState(seededBytes(), T0);
}

/** An online (or extension) grant for the key, bound to the test machine. */
export function onlineGrant(
  vendor: Vendor,
  key: Pick<ProductKey, 'channel' | 'skuCode' | 'serial' | 'partial'>,
  activationId: string,
  issuedAt: number,
  options: { expiresAt?: number | null; type?: 'online' | 'extension'; signer?: string } = {},
): StoredGrant {
  const binding = machineFingerprint(MACHINE, IDS.product);
  const type = options.type ?? 'online';
  const document = issueMachineGrant(
    {
      type,
      grantId: `g-${key.serial}`,
      activationId,
      key: { channel: key.channel, skuCode: key.skuCode, serial: key.serial, partial: key.partial },
      fingerprint: binding.fingerprint,
      issuedAt,
      expiresAt: options.expiresAt ?? null,
      extendedProductId: `EPID-${key.skuCode}`,
    },
    options.signer ?? vendor.keys.privateKeyPem,
  );
  return { kind: type, document, components: [...binding.components] };
}

/** A volume grant from a host certified by the vendor. */
export function volumeGrant(
  vendor: Vendor,
  state: MachineState,
  activationId: string,
  issuedAt: number,
  options: { certifiedFor?: string[]; validityDays?: number } = {},
): StoredGrant {
  const host = generateSigningKey();
  const hostCertificate = issueHostCertificate(
    {
      hostId: 'host-1',
      hostPublicKey: host.publicKey,
      activationIds: options.certifiedFor ?? [activationId],
      hostKeyPartial: 'HOST1',
      issuedAt,
      expiresAt: null,
    },
    vendor.keys.privateKeyPem,
  );
  const document = issueVolumeGrant(
    {
      activationId,
      clientMachineId: state.clientMachineId,
      hostId: 'host-1',
      extendedProductId: 'EPID-HOST',
      issuedAt,
      expiresAt: issuedAt + (options.validityDays ?? 180) * DAY,
      activationIntervalMinutes: 120,
      renewalIntervalMinutes: 10_080,
      count: 25,
      nonce: 'n-1',
    },
    host.privateKeyPem,
  );
  return { kind: 'volume', document, hostCertificate };
}
