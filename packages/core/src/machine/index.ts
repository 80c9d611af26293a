export {
  bindingDrift,
  fingerprintOfComponents,
  type MachineBinding,
  machineFingerprint,
  newClientMachineId,
  type RandomBytes,
} from './identity.js';
