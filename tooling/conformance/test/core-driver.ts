// The conformance driver for core itself: every step is a pure core operation, time passed in.
import { type Channel, installationId, machineFingerprint, parseProductKey } from '@slm/core';
import type { Driver, StepOutcome } from '../src/driver.js';
import { InProcessMachine, type KeyOrError } from '../src/in-process.js';
import { createLabVendor, LAB_PRODUCT_ID, type LabVendor } from '../src/lab-vendor.js';
import type { LabSku } from '../src/scenarios.js';

const IDENTITY = { 'machine-id': 'core-driver', hostname: 'lab', store: 'store-1' };
const binding = machineFingerprint(IDENTITY, LAB_PRODUCT_ID);

/** Runs scenarios straight against core's pure operations. */
export const coreDriver: Driver = {
  name: 'core',
  capabilities: ['online', 'phone', 'volume'],
  newMachine: async () => new CoreMachine(createLabVendor()),
};

class CoreMachine extends InProcessMachine {
  constructor(private readonly vendor: LabVendor) {
    super(vendor.catalog, vendor.keys.publicKey, binding);
  }

  protected async keyFor(sku: LabSku, channel: string): Promise<KeyOrError> {
    const key = parseProductKey(this.vendor.mintKey(sku, channel as Channel));
    return key.ok ? { key: key.value } : { error: key.error.code };
  }

  async activateOnline(sku: LabSku, at: number): Promise<StepOutcome> {
    const key = this.keyOf(sku);
    if (key === null) return { error: 'key.not_installed' };
    const fingerprint = binding.fingerprint;
    const document = this.vendor.onlineGrant({ sku, key, fingerprint, issuedAt: at });
    return this.store(sku, at, { kind: 'online', document, components: [...binding.components] });
  }

  async activatePhone(sku: LabSku, at: number): Promise<StepOutcome> {
    const key = this.keyOf(sku);
    if (key === null) return { error: 'key.not_installed' };
    const product = { ...key, version: 1, text: '', authenticator: 0n };
    const iid = installationId(product, binding.fingerprint);
    const confirmationId = this.vendor.confirmationId(iid.content);
    const components = [...binding.components];
    const grant = {
      kind: 'phone' as const,
      installationId: iid.digits,
      confirmationId,
      components,
      activatedAt: at,
    };
    return this.store(sku, at, grant);
  }

  async activateVolume(sku: LabSku, at: number): Promise<StepOutcome> {
    const clientMachineId = this.state.clientMachineId;
    const signed = this.vendor.volumeGrant({
      sku,
      clientMachineId,
      issuedAt: at,
      validityDays: 180,
    });
    return this.store(sku, at, { kind: 'volume', ...signed });
  }
}
