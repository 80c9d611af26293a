// The conformance driver for volume activation: licence state in core, every volume activation
// through the volume client library against a real host on loopback whose clock is the step's.
import {
  createLabVendor,
  type Driver,
  InProcessMachine,
  type KeyOrError,
  LAB_PRODUCT_ID,
  LAB_SKUS,
  type LabSku,
  type LabVendor,
  type StepOutcome,
} from '@slm/conformance';
import { type Channel, evaluate, machineFingerprint, parseProductKey } from '@slm/core';
import { activateVolume } from '@slm/volume-client';
import { startTestHost, type TestHost } from './harness.js';

const IDENTITY = { 'machine-id': 'volume-driver', hostname: 'lab', store: 'store-1' };
const binding = machineFingerprint(IDENTITY, LAB_PRODUCT_ID);

/** Runs the shared scenarios with volume activation done by a real slm-kms host. */
export const volumeDriver: Driver = {
  name: 'volume host',
  capabilities: ['volume'],
  newMachine: async () => {
    const vendor = createLabVendor();
    return new VolumeMachine(vendor, await startTestHost({ vendor }));
  },
};

class VolumeMachine extends InProcessMachine {
  constructor(
    private readonly vendor: LabVendor,
    private readonly host: TestHost,
  ) {
    super(vendor.catalog, vendor.keys.publicKey, binding);
  }

  protected async keyFor(sku: LabSku, channel: string): Promise<KeyOrError> {
    const key = parseProductKey(this.vendor.mintKey(sku, channel as Channel));
    return key.ok ? { key: key.value } : { error: key.error.code };
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
    return this.store(sku, at, result.storedGrant);
  }

  override async close(): Promise<void> {
    await this.host.close();
  }

  /** 24 other client machines asked recently, so this one is the 25th. */
  private enoughOtherMachines(at: number): void {
    const others = Array.from({ length: 24 }, (_, i) => `lab-neighbour-${i}`);
    this.host.store.seed(LAB_PRODUCT_ID, others, at);
  }
}
