import { randomBytes } from 'node:crypto';
import {
  type Catalog,
  type Channel,
  generateSigningKey,
  type InstallationIdContent,
  issueConfirmationId,
  issueHostCertificate,
  issueMachineGrant,
  issueVolumeGrant,
  mintProductKey,
  openCatalog,
  type SigningKeyPair,
  signCatalog,
  unwrap,
} from '@slm/core';
import type { LabSku } from './scenarios.js';

/** The activation IDs and SKU codes of the lab catalog. */
export const LAB_SKUS: Readonly<
  Record<LabSku | 'host', { activationId: string; skuCode: number }>
> = {
  retail: { activationId: '5f0c1a2e-0000-4000-8000-00000000a001', skuCode: 101 },
  volume: { activationId: '5f0c1a2e-0000-4000-8000-00000000a002', skuCode: 102 },
  server: { activationId: '5f0c1a2e-0000-4000-8000-00000000a003', skuCode: 103 },
  host: { activationId: '5f0c1a2e-0000-4000-8000-00000000a004', skuCode: 104 },
  kiosk: { activationId: '5f0c1a2e-0000-4000-8000-00000000a005', skuCode: 105 },
};

/** The lab product's ID: also the salt of machine fingerprints for its SKUs. */
export const LAB_PRODUCT_ID = '5f0c1a2e-0000-4000-8000-00000000a000';

/** A throwaway vendor for tests and the lab: keys, a signed catalog, minting and signing. */
export interface LabVendor {
  readonly keys: SigningKeyPair;
  readonly secret: Uint8Array;
  readonly signedCatalog: string;
  readonly catalog: Catalog;
  mintKey(sku: LabSku | 'host', channel: Channel): string;
  onlineGrant(request: OnlineGrantRequest): string;
  confirmationId(content: InstallationIdContent): string;
  volumeGrant(request: VolumeGrantRequest): { document: string; hostCertificate: string };
}

/** What the vendor signs for an online activation. */
export interface OnlineGrantRequest {
  readonly sku: LabSku;
  readonly key: { channel: Channel; skuCode: number; serial: number; partial: string };
  readonly fingerprint: string;
  readonly issuedAt: number;
}

/** What a volume host signs for a volume activation. */
export interface VolumeGrantRequest {
  readonly sku: LabSku;
  readonly clientMachineId: string;
  readonly issuedAt: number;
  readonly validityDays: number;
}

/** Creates a lab vendor whose catalog points at `serviceUrl`. */
export function createLabVendor(serviceUrl = 'http://127.0.0.1:8440/'): LabVendor {
  const keys = generateSigningKey();
  const secret = new Uint8Array(randomBytes(32));
  const signedCatalog = unwrap(
    signCatalog(labCatalog(keys.publicKey, serviceUrl), keys.privateKeyPem),
  );
  const catalog = unwrap(openCatalog(signedCatalog, keys.publicKey));
  const host = generateSigningKey();
  let serial = 1000;
  return {
    keys,
    secret,
    signedCatalog,
    catalog,
    mintKey: (sku, channel) =>
      mintProductKey(secret, { channel, skuCode: LAB_SKUS[sku].skuCode, serial: serial++ }),
    onlineGrant: (request) => signOnline(keys, request),
    confirmationId: (content) => issueConfirmationId(content, keys.privateKeyPem).compact,
    volumeGrant: (request) => signVolume(keys, host, request),
  };
}

function labCatalog(publicKey: string, serviceUrl: string) {
  const sku = (name: LabSku | 'host', label: string, channels: Channel[], extra = {}) => ({
    ...LAB_SKUS[name],
    name: label,
    description: `Lab Suite ${label}`,
    channels,
    ...extra,
  });
  return {
    version: 1 as const,
    vendor: { name: 'Lab Vendor', publicKey },
    serviceUrl,
    issuedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    products: [
      {
        productId: LAB_PRODUCT_ID,
        name: 'Lab Suite',
        skus: [
          sku('retail', 'Professional', ['retail', 'oem', 'mak', 'time_based']),
          sku('volume', 'Enterprise', ['volume_client']),
          sku('server', 'Server', ['volume_client'], { serverClass: true }),
          sku('host', 'Volume Host', ['volume_host']),
          sku('kiosk', 'Kiosk', ['retail'], { rearmLimit: 0 }),
        ],
      },
    ],
  };
}

function signOnline(keys: SigningKeyPair, request: OnlineGrantRequest): string {
  return issueMachineGrant(
    {
      type: 'online',
      grantId: `lab-${request.key.serial}-${request.issuedAt}`,
      activationId: LAB_SKUS[request.sku].activationId,
      key: request.key,
      fingerprint: request.fingerprint,
      issuedAt: request.issuedAt,
      expiresAt: null,
      extendedProductId: `LAB-${request.key.skuCode}-${request.key.serial}`,
    },
    keys.privateKeyPem,
  );
}

function signVolume(keys: SigningKeyPair, host: SigningKeyPair, request: VolumeGrantRequest) {
  const activationId = LAB_SKUS[request.sku].activationId;
  const hostCertificate = issueHostCertificate(
    {
      hostId: 'lab-host',
      hostPublicKey: host.publicKey,
      activationIds: [LAB_SKUS.volume.activationId, LAB_SKUS.server.activationId],
      hostKeyPartial: 'LAB01',
      issuedAt: request.issuedAt,
      expiresAt: null,
    },
    keys.privateKeyPem,
  );
  const document = issueVolumeGrant(
    {
      activationId,
      clientMachineId: request.clientMachineId,
      hostId: 'lab-host',
      extendedProductId: 'LAB-HOST',
      issuedAt: request.issuedAt,
      expiresAt: request.issuedAt + request.validityDays * 86_400_000,
      activationIntervalMinutes: 120,
      renewalIntervalMinutes: 10_080,
      count: 25,
      nonce: String(request.issuedAt),
    },
    host.privateKeyPem,
  );
  return { document, hostCertificate };
}
