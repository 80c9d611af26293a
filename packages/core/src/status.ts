// `@slm/core/status`: everything of core that reading and changing a machine's licence state
// needs, without the schema library. Adapters that start often (slmgr's display commands) import
// from here, so their bundles do not load zod; `@slm/core` adds what validates input at the edges.

export { readInstalledCatalog } from './catalog/installed.js';
export type { CatalogSku } from './catalog/lookup.js';
export { catalogSkus, findSkuByActivationId, findSkuByCode } from './catalog/lookup.js';
export type { Catalog, CatalogInput, Product, Sku } from './catalog/schema.js';
export { type CatalogSuccession, catalogSuccession } from './catalog/succession.js';
export * from './crypto.js';
export {
  completeDocument,
  DOCUMENT_VERSION,
  type DocumentKind,
  type DocumentParts,
  openDocument,
  prepareDocument,
  signDocument,
  splitDocument,
  type UnsignedDocument,
} from './documents/document.js';
export { type FieldType, matchesShape, type Shape } from './documents/shape.js';
export { ERROR_CODES, type ErrorCode, type ErrorContext, isErrorCode, SlmError } from './errors.js';
export { extendedProductId } from './grants/extended-product-id.js';
export {
  issueHostCertificate,
  issueMachineGrant,
  issueVolumeGrant,
  prepareHostCertificate,
  prepareMachineGrant,
} from './grants/issue.js';
export type {
  HostCertificate,
  KeyIdentity,
  MachineGrant,
  StoredGrant,
  VerifiedGrant,
  VolumeGrant,
} from './grants/schema.js';
export {
  certificateThumbprint,
  checkTokenEligibility,
  type StoredTokenGrant,
  tokenChallenge,
  verifyTokenGrant,
} from './grants/token.js';
export type { IssuanceLicence } from './grants/token-schema.js';
export {
  type GrantContext,
  NON_GENUINE_CODES,
  type PayloadCheck,
  readHostCertificate,
  readVolumeGrant,
  verifyStoredGrant,
} from './grants/verify.js';
export * from './keys/index.js';
export {
  CLOCK_TOLERANCE_MS,
  DAY_MS,
  DEFAULT_MACHINE_SETTINGS,
  DEFAULT_PRODUCT_SETTINGS,
  emptyProduct,
  NON_GENUINE_GRACE_DAYS,
  newMachineState,
  productOf,
  trustedNow,
  withProduct,
} from './licence/defaults.js';
export { type EvaluationContext, evaluate } from './licence/evaluate.js';
export {
  installKey,
  type KeyInstalled,
  observe,
  type Rearmed,
  rearm,
  uninstallKey,
} from './licence/operations.js';
export { remainingTime, type TimeRemaining } from './licence/time.js';
export * from './licence/types.js';
export {
  DEFAULT_VOLUME_INTERVALS,
  nextVolumeAttempt,
  type VolumeAttemptPlan,
  type VolumeAttemptReason,
  type VolumeScheduleInput,
} from './licence/volume-schedule.js';
export * from './machine/index.js';
export * from './phone/index.js';
export { fail, ok, type Result, unwrap } from './result.js';
export {
  clearKms,
  clearKmsDomain,
  type HostSettingChange,
  type HostSettings,
  type KmsAddress,
  type KmsSettings,
  parseActivationType,
  parseDomain,
  parseHostName,
  parseInterval,
  parseKmsAddress,
  parsePort,
  SETTING_LIMITS,
  type SettingChange,
  type SettingsState,
  type SettingsUpdate,
  setActivationType,
  setHostCaching,
  setHostSetting,
  setKms,
  setKmsDomain,
} from './settings/index.js';
