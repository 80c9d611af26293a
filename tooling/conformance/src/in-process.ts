import { randomBytes } from 'node:crypto';
import {
  addGrant,
  type Catalog,
  type EvaluationContext,
  evaluate,
  findSkuByActivationId,
  installKey,
  type LicenceStatus,
  type MachineBinding,
  type MachineState,
  newMachineState,
  observe,
  type ProductKey,
  type Result,
  rearm,
  type StoredGrant,
  uninstallKey,
} from '@slm/core';
import type { DriverMachine, StepOutcome } from './driver.js';
import { LAB_SKUS } from './lab-vendor.js';
import type { LabSku } from './scenarios.js';

const bytes = (size: number) => new Uint8Array(randomBytes(size));

/** A product key for a step, or the code of the error that refused it. */
export type KeyOrError = { readonly key: ProductKey } | { readonly error: string };

/**
 * A machine whose licence state lives in core, in this process: the steps every in-process
 * driver shares. A driver adds where its keys come from and how it activates.
 */
export abstract class InProcessMachine implements DriverMachine {
  protected state: MachineState = newMachineState(bytes, Date.UTC(2026, 0, 1));

  constructor(
    protected readonly catalog: Catalog,
    protected readonly vendorKey: string,
    protected readonly binding: MachineBinding,
  ) {}

  /** Where the driver's product keys come from (minted locally or by a service). */
  protected abstract keyFor(sku: LabSku, channel: string): Promise<KeyOrError>;

  abstract activateOnline(sku: LabSku, at: number): Promise<StepOutcome>;
  abstract activatePhone(sku: LabSku, at: number): Promise<StepOutcome>;
  abstract activateVolume(sku: LabSku, at: number): Promise<StepOutcome>;

  async installKey(sku: LabSku, channel: string, at: number): Promise<StepOutcome> {
    const found = await this.keyFor(sku, channel);
    if ('error' in found) return { error: found.error };
    return this.change(at, sku, (state) => installKey(state, [this.catalog], found.key, at));
  }

  async uninstallKey(sku: LabSku, at: number): Promise<StepOutcome> {
    return this.change(at, sku, (state) => uninstallKey(state, LAB_SKUS[sku].activationId));
  }

  async rearm(at: number): Promise<StepOutcome> {
    return this.change(at, 'retail', (state) => rearm(state, [this.catalog], at, bytes));
  }

  async status(sku: LabSku, at: number): Promise<LicenceStatus> {
    this.state = observe(this.state, this.context(sku, at));
    return evaluate(this.state, this.context(sku, at));
  }

  async close(): Promise<void> {}

  /** Stores a grant as the machine would after an activation. */
  protected store(sku: LabSku, at: number, grant: StoredGrant): Promise<StepOutcome> {
    return this.change(at, sku, (state) => addGrant(state, grant, this.context(sku, at)));
  }

  /** Observes the instant, then applies a change; a refusal leaves the state as it was. */
  protected async change(
    at: number,
    sku: LabSku,
    operation: (state: MachineState) => Result<{ state: MachineState }>,
  ): Promise<StepOutcome> {
    const result = operation(observe(this.state, this.context(sku, at)));
    if (!result.ok) return { error: result.error.code };
    this.state = result.value.state;
    return { error: null };
  }

  /** What core needs to evaluate a lab SKU at an instant on this machine. */
  protected context(sku: LabSku, now: number): EvaluationContext {
    const found = findSkuByActivationId(this.catalog, LAB_SKUS[sku].activationId);
    if (found === null) throw new Error(`the lab catalog has no ${sku} SKU`);
    return { now, sku: found.sku, vendorKey: this.vendorKey, components: this.binding.components };
  }

  /** The installed key's identity for a SKU, as grants name it. */
  protected keyOf(sku: LabSku) {
    const key = this.state.products[LAB_SKUS[sku].activationId]?.key;
    if (key == null) return null;
    return { channel: key.channel, skuCode: key.skuCode, serial: key.serial, partial: key.partial };
  }
}
