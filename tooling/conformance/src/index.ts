export type { Driver, DriverMachine, ObservedStatus, StepOutcome } from './driver.js';
export { InProcessMachine, type KeyOrError } from './in-process.js';
export {
  createLabVendor,
  LAB_PRODUCT_ID,
  LAB_SKUS,
  type LabVendor,
  type OnlineGrantRequest,
  type VolumeGrantRequest,
} from './lab-vendor.js';
export { runConformance, SCENARIO_START } from './runner.js';
export {
  type Capability,
  type Expectation,
  type LabSku,
  SCENARIOS,
  type Scenario,
  type Step,
} from './scenarios.js';
