import type { LicenceStateName, StatusReason } from '@slm/core';
import type { Capability, LabSku } from './scenarios.js';

/** A status as a driver reads it from its front end. */
export interface ObservedStatus {
  readonly state: LicenceStateName;
  readonly reason: StatusReason;
  readonly endsAt: number | null;
  readonly remainingRearms: number;
}

/** What a step returned: nothing, or the stable code of the error it was refused with. */
export type StepOutcome = { readonly error: string | null };

/** One machine, driven through one front end. Every call happens at the instant `at`. */
export interface DriverMachine {
  installKey(sku: LabSku, channel: string, at: number): Promise<StepOutcome>;
  uninstallKey(sku: LabSku, at: number): Promise<StepOutcome>;
  rearm(at: number): Promise<StepOutcome>;
  activateOnline(sku: LabSku, at: number): Promise<StepOutcome>;
  activatePhone(sku: LabSku, at: number): Promise<StepOutcome>;
  activateVolume(sku: LabSku, at: number): Promise<StepOutcome>;
  status(sku: LabSku, at: number): Promise<ObservedStatus>;
  close(): Promise<void>;
}

/** A front end under test: it makes fresh machines and says what it can do. */
export interface Driver {
  readonly name: string;
  readonly capabilities: readonly Capability[];
  newMachine(): Promise<DriverMachine>;
}
