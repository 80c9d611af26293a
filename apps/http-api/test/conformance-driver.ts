// The conformance driver for the activation service: each machine's state is core's, and every
// activation goes through the real HTTP app with the activation client, at the step's instant.
import { randomUUID } from 'node:crypto';
import { createActivationClient } from '@slm/activation-client';
import type { Driver, KeyOrError, LabSku, StepOutcome } from '@slm/conformance';
import { createLabVendor, InProcessMachine, LAB_PRODUCT_ID, LAB_SKUS } from '@slm/conformance';
import { type Catalog, installationId, machineFingerprint, parseProductKey } from '@slm/core';
import { createHarness, type Harness, read } from './harness.js';

/** A vendor service whose catalog is the lab catalog, with a clock the driver sets. */
export interface HttpLab {
  readonly harness: Harness;
  readonly catalog: Catalog;
  at: number;
}

/** Creates the service the HTTP driver activates against. */
export async function createHttpLab(): Promise<HttpLab> {
  const lab = { at: Date.UTC(2026, 0, 1) } as { at: number; harness: Harness; catalog: Catalog };
  lab.harness = await createHarness({}, () => lab.at);
  const body = JSON.stringify(createLabVendor().catalog);
  const res = await lab.harness.admin('/v1/admin/catalog', { method: 'PUT', body });
  if (res.status !== 200) throw new Error(`publishing the lab catalog failed: ${await res.text()}`);
  lab.catalog = lab.harness.deps.catalogs.current?.catalog as Catalog;
  return lab;
}

/** The HTTP driver: online and phone activation through the service. */
export function httpDriver(lab: HttpLab): Driver {
  return {
    name: 'the activation service (HTTP)',
    capabilities: ['online', 'phone'],
    newMachine: async () => new HttpMachine(lab),
  };
}

class HttpMachine extends InProcessMachine {
  private readonly keys = new Map<LabSku, string>();
  private readonly client;

  constructor(private readonly lab: HttpLab) {
    const binding = machineFingerprint({ 'machine-id': randomUUID() }, LAB_PRODUCT_ID);
    super(lab.catalog, lab.harness.deps.secrets.publicKey, binding);
    const app = lab.harness.app;
    this.client = createActivationClient({
      baseUrl: 'http://service.test',
      fetch: async (input, init) => await app.request(String(input), init),
    });
  }

  protected async keyFor(sku: LabSku, channel: string): Promise<KeyOrError> {
    const body = JSON.stringify({ skuCode: LAB_SKUS[sku].skuCode, channel, count: 1 });
    const minted = await read(
      await this.lab.harness.admin('/v1/admin/keys', { method: 'POST', body }),
    );
    if (minted.keys === undefined) return { error: minted.code };
    const key = parseProductKey(minted.keys[0]);
    if (!key.ok) return { error: key.error.code };
    this.keys.set(sku, key.value.text);
    return { key: key.value };
  }

  async activateOnline(sku: LabSku, at: number): Promise<StepOutcome> {
    const key = this.keys.get(sku);
    if (key === undefined) return { error: 'key.not_installed' };
    this.lab.at = at;
    const answer = await this.client.activateOnline({
      key,
      activationId: LAB_SKUS[sku].activationId,
      fingerprint: this.binding.fingerprint,
      installation: { clientMachineId: this.state.clientMachineId },
    });
    if (!answer.ok) return { error: answer.failure.kind };
    if (!answer.value.activated) return { error: answer.value.reason };
    const components = [...this.binding.components];
    return this.store(sku, at, { kind: 'online', document: answer.value.grant, components });
  }

  async activatePhone(sku: LabSku, at: number): Promise<StepOutcome> {
    const key = this.keys.get(sku);
    if (key === undefined) return { error: 'key.not_installed' };
    this.lab.at = at;
    const parsed = parseProductKey(key);
    if (!parsed.ok) return { error: parsed.error.code };
    const iid = installationId(parsed.value, this.binding.fingerprint);
    const answer = await this.client.activatePhone({ installationId: iid.digits });
    if (!answer.ok) return { error: answer.failure.kind };
    if (!answer.value.activated) return { error: answer.value.reason };
    const grant = {
      kind: 'phone' as const,
      installationId: iid.digits,
      confirmationId: answer.value.confirmationId,
      components: [...this.binding.components],
      activatedAt: at,
    };
    return this.store(sku, at, grant);
  }

  async activateVolume(): Promise<StepOutcome> {
    return { error: 'activation.method_disabled' };
  }
}
