export {
  CID_COMPACT_PREFIX,
  issueConfirmationId,
  parseConfirmationId,
  verifyConfirmationId,
} from './confirmation-id.js';
export {
  formatInstallationId,
  IID_VERSION,
  type InstallationIdContent,
  installationId,
  installationIdMessage,
  parseInstallationId,
} from './installation-id.js';
