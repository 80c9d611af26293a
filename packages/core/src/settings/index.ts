export type { HostSettingChange } from './host.js';
export { setHostSetting } from './host.js';
export {
  clearKms,
  clearKmsDomain,
  setActivationType,
  setHostCaching,
  setKms,
  setKmsDomain,
} from './kms.js';
export type { KmsAddress } from './parse.js';
export {
  parseActivationType,
  parseDomain,
  parseHostName,
  parseInterval,
  parseKmsAddress,
  parsePort,
} from './parse.js';
export type {
  ActivationType,
  HostSettings,
  KmsSettings,
  MachineSettings,
  ProductSettings,
  SettingChange,
  SettingsState,
  SettingsUpdate,
} from './types.js';
export { SETTING_LIMITS } from './types.js';
