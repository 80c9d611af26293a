// The conformance driver for volume activation: licence state in core, every volume activation
// through the volume client library against a real host on loopback whose clock is the step's.
import { randomBytes } from 'node:crypto';
import {
  createLabVendor,
  type Driver,
  type DriverMachine,
  LAB_PRODUCT_ID,
  LAB_SKUS,
  type LabSku,
  type LabVendor,
  type StepOutcome,
} from '@slm/conformance';
import {
  addGrant,
  type Channel,
  type EvaluationContext,
  evaluate,
  findSkuByActivationId,
  installKey,
  type MachineState,
  machineFingerprint,
  newMachineState,
  observe,
  parseProductKey,
  type Result,
  rearm,
  uninstallKey,
} from '@slm/core';
import { activateVolume } from '@slm/volume-client';
import { startTestHost, type TestHost } from './harness.js';

const IDENTITY = { 'machine-id': 'volume-driver', hostname: 'lab', store: 'store-1' };
const binding = machineFingerprint(IDENTITY, LAB_PRODUCT_ID);
const bytes = (size: number) => new Uint8Array(randomBytes(size));

/** Runs the shared scenarios with volume activation done by a real slm-kms host. */
export const volumeDriver: Driver = {
  name: 'volume host',
  capabilities: ['volume'],
  newMachine: async () => {
    const vendor = createLabVendor();
    return new VolumeMachine(vendor, await startTestHost({ vendor }));
  },
};

class VolumeMachine implements DriverMachine {
  private state: MachineState = newMachineState(bytes, Date.UTC(2026, 0, 1));

  constructor(
    private readonly vendor: LabVendor,
    private readonly host: TestHost,
  ) {}

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

  activateOnline(): Promise<StepOutcome> {
    throw new Error('the volume driver does no online activation');
  }

  activatePhone(): Promise<StepOutcome> {
    throw new Error('the volume driver does no phone activation');
  }

  async activateVolume(sku: LabSku, at: number): Promise<StepOutcome> {
    this.host.clock.now = at;
    this.enoughOtherMachines(at);
    const context = this.context(sku, at);
    const result = await activateVolume({
      activationId: LAB_SKUS[sku].activationId,
      clientMachineId: this.state.clientMachineId,
      workstation: binding.fingerprint,
      licenceState: evaluate(this.state, context).code,
      threshold: context.sku.volumeThreshold,
      vendorKey: this.vendor.keys.publicKey,
      now: at,
      settings: { machine: { host: '127.0.0.1', port: this.host.port, domain: null } },
      hostCaching: false,
      cachedHost: null,
    });
    if (!result.ok) return { error: 'activation.unavailable' };
    return this.change(at, sku, (state) => addGrant(state, result.storedGrant, context));
  }

  async status(sku: LabSku, at: number) {
    this.state = observe(this.state, this.context(sku, at));
    return evaluate(this.state, this.context(sku, at));
  }

  async close(): Promise<void> {
    await this.host.close();
  }

  /** 24 other client machines asked recently, so this one is the 25th. */
  private enoughOtherMachines(at: number): void {
    const others = Array.from({ length: 24 }, (_, i) => `lab-neighbour-${i}`);
    this.host.store.seed(LAB_PRODUCT_ID, others, at);
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
