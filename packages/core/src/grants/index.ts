export { issueHostCertificate, issueMachineGrant, issueVolumeGrant } from './issue.js';
export {
  type HostCertificate,
  hostCertificateSchema,
  type KeyIdentity,
  keyIdentitySchema,
  type MachineGrant,
  machineGrantSchema,
  type StoredGrant,
  type VerifiedGrant,
  type VolumeGrant,
  volumeGrantSchema,
} from './schema.js';
export {
  certificateThumbprint,
  checkTokenEligibility,
  type StoredTokenGrant,
  tokenChallenge,
  verifyTokenGrant,
} from './token.js';
export {
  type IssuanceLicence,
  issuanceLicenceSchema,
  issueIssuanceLicence,
  openIssuanceLicence,
} from './token-schema.js';
export { openHostCertificate, openVolumeGrant, validateStoredGrant } from './validate.js';
export {
  type GrantContext,
  NON_GENUINE_CODES,
  type PayloadCheck,
  readHostCertificate,
  readVolumeGrant,
  verifyStoredGrant,
} from './verify.js';
