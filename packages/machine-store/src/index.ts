export { isCorruption, RECOVERY_HINT } from './errors.js';
export type { StorePaths } from './files.js';
export { storePaths } from './files.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export { type Salvage, setAsideDamagedStore } from './recover.js';
export type { LicenceFile, StateRow } from './repository.js';
export type { Secrets } from './secrets.js';
export { canWrite, type MachineStore, type OpenOptions, openMachineStore } from './store.js';
export { licenceCopyName, type StoreTransaction, type StoreView } from './transaction.js';
