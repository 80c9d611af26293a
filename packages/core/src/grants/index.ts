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
  type IssuanceLicence,
  issuanceLicenceSchema,
  issueIssuanceLicence,
  openIssuanceLicence,
  type StoredTokenGrant,
  tokenChallenge,
  verifyTokenGrant,
} from './token.js';
export {
  type GrantContext,
  NON_GENUINE_CODES,
  openHostCertificate,
  openVolumeGrant,
  verifyStoredGrant,
} from './verify.js';
