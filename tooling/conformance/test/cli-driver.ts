// The conformance driver for slmgr: every step is a real `slmgr` process on its own store, with
// the process clock moved by libfaketime (the binary has no flag or variable for the clock).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Channel, parseInstallationId } from '@slm/core';
import type { Driver, DriverMachine, ObservedStatus, StepOutcome } from '../src/driver.js';
import { createLabVendor, LAB_SKUS, type LabVendor } from '../src/lab-vendor.js';
import { SCENARIO_START } from '../src/runner.js';
import type { LabSku } from '../src/scenarios.js';

const SLMGR = fileURLToPath(new URL('../../../apps/cli/bin/slmgr.js', import.meta.url));
const FAKETIME_LIBRARY = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
].find(existsSync);

interface Reply {
  readonly ok: boolean;
  readonly result?: Record<string, unknown>;
  readonly error?: { code: string };
}

/** Runs scenarios through the built slmgr binary, one process per step. */
export const cliDriver: Driver = {
  name: 'slmgr',
  capabilities: ['phone'],
  newMachine: async () => {
    if (FAKETIME_LIBRARY === undefined)
      throw new Error('libfaketime is not installed (apt-get install libfaketime)');
    const machine = new CliMachine(
      createLabVendor(),
      mkdtempSync(join(tmpdir(), 'slm-conformance-')),
    );
    const installed = await machine.installCatalog();
    if (installed.error !== null)
      throw new Error(`could not install the lab catalog: ${installed.error}`);
    return machine;
  },
};

class CliMachine implements DriverMachine {
  constructor(
    private readonly vendor: LabVendor,
    private readonly home: string,
  ) {}

  async installCatalog(): Promise<StepOutcome> {
    const file = join(this.home, 'lab-catalog.slm');
    writeFileSync(file, this.vendor.signedCatalog);
    return outcome(await this.slmgr(SCENARIO_START, ['/ilc', file]));
  }

  async installKey(sku: LabSku, channel: string, at: number): Promise<StepOutcome> {
    return outcome(await this.slmgr(at, ['/ipk', this.vendor.mintKey(sku, channel as Channel)]));
  }

  async uninstallKey(sku: LabSku, at: number): Promise<StepOutcome> {
    return outcome(await this.slmgr(at, ['/upk', LAB_SKUS[sku].activationId]));
  }

  async rearm(at: number): Promise<StepOutcome> {
    return outcome(await this.slmgr(at, ['/rearm']));
  }

  async activatePhone(sku: LabSku, at: number): Promise<StepOutcome> {
    const shown = await this.slmgr(at, ['/dti', LAB_SKUS[sku].activationId]);
    if (!shown.ok) return outcome(shown);
    const iid = parseInstallationId(String(shown.result?.installationId));
    if (!iid.ok) return { error: iid.error.code };
    const cid = this.vendor.confirmationId(iid.value);
    return outcome(await this.slmgr(at, ['/atp', cid, LAB_SKUS[sku].activationId]));
  }

  async activateOnline(): Promise<StepOutcome> {
    throw new Error('the slmgr driver runs no activation service');
  }

  async activateVolume(): Promise<StepOutcome> {
    throw new Error('the slmgr driver runs no volume host');
  }

  async status(sku: LabSku, at: number): Promise<ObservedStatus> {
    const reply = await this.slmgr(at, ['/dli', LAB_SKUS[sku].activationId]);
    const products = reply.result?.products as Record<string, unknown>[] | undefined;
    const product = products?.[0];
    if (!reply.ok || product === undefined)
      throw new Error(`slmgr /dli failed: ${reply.error?.code}`);
    const status = product.licenceStatus as Record<string, unknown>;
    return {
      state: status.state as ObservedStatus['state'],
      reason: status.reason as ObservedStatus['reason'],
      endsAt: status.endsAt === null ? null : Date.parse(String(status.endsAt)),
      remainingRearms: Number(product.remainingRearmCount),
    };
  }

  async close(): Promise<void> {
    rmSync(this.home, { recursive: true, force: true });
  }

  private slmgr(at: number, args: string[]): Promise<Reply> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      SLM_HOME: this.home,
      LD_PRELOAD: FAKETIME_LIBRARY ?? '',
      // An absolute time freezes the wall clock at the step's instant; timers keep the real
      // monotonic clock so the process still runs normally.
      FAKETIME: new Date(at).toISOString().slice(0, 19).replace('T', ' '),
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      TZ: 'UTC',
    };
    return new Promise((resolve, reject) => {
      execFile(process.execPath, [SLMGR, ...args, '--json'], { env }, (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout) as Reply);
        } catch {
          reject(
            new Error(`slmgr ${args[0]} printed no JSON (${error?.message ?? ''}): ${stderr}`),
          );
        }
      });
    });
  }
}

function outcome(reply: Reply): StepOutcome {
  return { error: reply.ok ? null : (reply.error?.code ?? 'unknown') };
}
