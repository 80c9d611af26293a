export { addGrant } from './add-grant.js';
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
} from './defaults.js';
export { type EvaluationContext, evaluate } from './evaluate.js';
export {
  installKey,
  type KeyInstalled,
  observe,
  type Rearmed,
  rearm,
  uninstallKey,
} from './operations.js';
export { remainingTime, type TimeRemaining } from './time.js';
export * from './types.js';
