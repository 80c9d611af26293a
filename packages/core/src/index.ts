// The public API of @slm/core: the licensing domain, free of transport, files and clocks.
export * from './catalog/index.js';
export * from './crypto.js';
export {
  DOCUMENT_VERSION,
  type DocumentKind,
  type DocumentParts,
  openDocument,
  signDocument,
  splitDocument,
} from './documents/document.js';
export { ERROR_CODES, type ErrorCode, type ErrorContext, isErrorCode, SlmError } from './errors.js';
export * from './grants/index.js';
export * from './keys/index.js';
export * from './licence/index.js';
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
