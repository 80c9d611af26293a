// The conformance driver for core itself: every step is a pure core operation, time passed in.
import { randomBytes } from 'node:crypto';
import {
  addGrant,
  type Channel,
  type EvaluationContext,
  evaluate,
  findSkuByActivationId,
  installationId,
  installKey,
  type MachineState,
  machineFingerprint,
  newMachineState,
  observe,
  parseProductKey,
  type Result,
  rearm,
  type StoredGrant,
  uninstallKey,
} from '@slm/core';
import type { Driver, DriverMachine, StepOutcome } from '../src/driver.js';
import { createLabVendor, LAB_PRODUCT_ID, LAB_SKUS, type LabVendor } from '../src/lab-vendor.js';
import type { LabSku } from '../src/scenarios.js';

const IDENTITY = { 'machine-id': 'core-driver', hostname: 'lab', store: 'store-1' };
const binding = machineFingerprint(IDENTITY, LAB_PRODUCT_ID);
const bytes = (size: number) => new Uint8Array(randomBytes(size));

/** Runs scenarios straight against core's pure operations. */
export const coreDriver: Driver = {
  name: 'core',
  capabilities: ['online', 'phone', 'volume'],
  newMachine: async () => new CoreMachine(createLabVendor()),
};

class CoreMachine implements DriverMachine {
  private state: MachineState = newMachineState(bytes, Date.UTC(2026, 0, 1));

  constructor(private readonly vendor: LabVendor) {}

  async installKey(sku: LabSku, channel: string, at: number): Promise<StepOutcome> {
    const key = parseProductKey(this.vendor.mintKey(sku, channel as Channel));
    if (!key.ok) return { error: key.error.code };
    return this.change(at, sku, (state) => installKey(state, [this.vendor.catalog], key.value, at));
  }

  async uninstallKey(sku: LabSku, at: number): Promise<StepOutcome> {
    return this.change(at, sku, (state) => uninstallKey(state, LAB_SKUS[sku].activationId));
  }

  async rearm(at: number): Promise<StepOutcome> {
    return this.change(at, 'retail', (state) => rearm(state, [this.vendor.catalog], at, bytes));
  }

  async activateOnline(sku: LabSku, at: number): Promise<StepOutcome> {
    const key = this.keyOf(sku);
    if (key === null) return { error: 'key.not_installed' };
    const document = this.vendor.onlineGrant({
      sku,
      key,
      fingerprint: binding.fingerprint,
      issuedAt: at,
    });
    return this.store(sku, at, { kind: 'online', document, components: [...binding.components] });
  }

  async activatePhone(sku: LabSku, at: number): Promise<StepOutcome> {
    const key = this.keyOf(sku);
    if (key === null) return { error: 'key.not_installed' };
    const iid = installationId(
      { ...key, version: 1, text: '', authenticator: 0n },
      binding.fingerprint,
    );
    const confirmationId = this.vendor.confirmationId(iid.content);
    const grant = {
      kind: 'phone' as const,
      installationId: iid.digits,
      confirmationId,
      components: [...binding.components],
      activatedAt: at,
    };
    return this.store(sku, at, grant);
  }

  async activateVolume(sku: LabSku, at: number): Promise<StepOutcome> {
    const signed = this.vendor.volumeGrant({
      sku,
      clientMachineId: this.state.clientMachineId,
      issuedAt: at,
      validityDays: 180,
    });
    return this.store(sku, at, { kind: 'volume', ...signed });
  }

  async status(sku: LabSku, at: number) {
    this.state = observe(this.state, this.context(sku, at));
    return evaluate(this.state, this.context(sku, at));
  }

  async close(): Promise<void> {}

  private keyOf(sku: LabSku) {
    const key = this.state.products[LAB_SKUS[sku].activationId]?.key;
    return key == null
      ? null
      : { channel: key.channel, skuCode: key.skuCode, serial: key.serial, partial: key.partial };
  }

  private store(sku: LabSku, at: number, grant: StoredGrant): Promise<StepOutcome> {
    return this.change(at, sku, (state) => addGrant(state, grant, this.context(sku, at)));
  }

  private async change(
    at: number,
    sku: LabSku,
    operation: (state: MachineState) => Result<{ state: MachineState }>,
  ): Promise<StepOutcome> {
    const result = operation(observe(this.state, this.context(sku, at)));
    if (!result.ok) return { error: result.error.code };
    this.state = result.value.state;
    return { error: null };
  }

  private context(sku: LabSku, now: number): EvaluationContext {
    const found = findSkuByActivationId(this.vendor.catalog, LAB_SKUS[sku].activationId);
    if (found === null) throw new Error(`the lab catalog has no ${sku} SKU`);
    return {
      now,
      sku: found.sku,
      vendorKey: this.vendor.keys.publicKey,
      components: binding.components,
    };
  }
}
