import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { DOCUMENT_VERSION, type VolumeGrant } from '@slm/core';

/** Signs volume grants with a host key parsed once. */
export type GrantSigner = (grant: Omit<VolumeGrant, 'v'>) => string;

/**
 * The same document core's issueVolumeGrant makes (`slm1.volume-grant.<payload>.<signature>`),
 * but with the private key parsed once instead of from PEM on every call: parsing dominated
 * the cost of an activation. Clients open it with core's openVolumeGrant like any other.
 */
export function grantSigner(hostPrivateKeyPem: string): GrantSigner {
  const key: KeyObject = createPrivateKey(hostPrivateKeyPem);
  return (grant) => {
    const payload = Buffer.from(JSON.stringify({ v: 1, ...grant })).toString('base64url');
    const body = `${DOCUMENT_VERSION}.volume-grant.${payload}`;
    return `${body}.${sign(null, Buffer.from(body), key).toString('base64url')}`;
  };
}
