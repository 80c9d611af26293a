import type { Shape } from '../documents/shape.js';

// The fields evaluation reads from each signed document; see documents/shape.ts for why these
// exist beside the zod schemas.

const keyIdentity: Shape = { channel: 'string', skuCode: 'number', serial: 'number' };

/** An online or extension grant. */
export const MACHINE_GRANT_SHAPE: Shape = {
  type: 'string',
  grantId: 'string',
  activationId: 'string',
  key: keyIdentity,
  fingerprint: 'string',
  issuedAt: 'number',
  expiresAt: 'number|null',
  extendedProductId: 'string',
};

/** A volume host certificate. */
export const HOST_CERTIFICATE_SHAPE: Shape = {
  hostId: 'string',
  hostPublicKey: 'string',
  activationIds: 'string[]',
};

/** A volume grant. */
export const VOLUME_GRANT_SHAPE: Shape = {
  activationId: 'string',
  clientMachineId: 'string',
  hostId: 'string',
  extendedProductId: 'string',
  issuedAt: 'number',
  expiresAt: 'number',
  activationIntervalMinutes: 'number',
  renewalIntervalMinutes: 'number',
  nonce: 'string',
};

/** An issuance licence. */
export const ISSUANCE_LICENCE_SHAPE: Shape = {
  ilid: 'string',
  ilvid: 'number',
  validTo: 'number|null',
  activationIds: 'string[]',
  issuers: 'string[]',
};
