import { prepareDocument, signDocument, type UnsignedDocument } from '../documents/document.js';
import type { HostCertificate, MachineGrant, VolumeGrant } from './schema.js';

/** Signs an online-activation or grace-extension grant with the vendor key. */
export function issueMachineGrant(
  grant: Omit<MachineGrant, 'v'>,
  vendorPrivateKeyPem: string,
): string {
  return signDocument('grant', { v: 1, ...grant }, vendorPrivateKeyPem);
}

/** {@link issueMachineGrant} up to the signature, for a signer that runs elsewhere. */
export function prepareMachineGrant(grant: Omit<MachineGrant, 'v'>): UnsignedDocument {
  return prepareDocument('grant', { v: 1, ...grant });
}

/** Signs a volume host's certificate with the vendor key. */
export function issueHostCertificate(
  certificate: Omit<HostCertificate, 'v'>,
  vendorPrivateKeyPem: string,
): string {
  return signDocument('host-cert', { v: 1, ...certificate }, vendorPrivateKeyPem);
}

/** {@link issueHostCertificate} up to the signature, for a signer that runs elsewhere. */
export function prepareHostCertificate(certificate: Omit<HostCertificate, 'v'>): UnsignedDocument {
  return prepareDocument('host-cert', { v: 1, ...certificate });
}

/** Signs a volume activation with the volume host's own key. */
export function issueVolumeGrant(grant: Omit<VolumeGrant, 'v'>, hostPrivateKeyPem: string): string {
  return signDocument('volume-grant', { v: 1, ...grant }, hostPrivateKeyPem);
}
