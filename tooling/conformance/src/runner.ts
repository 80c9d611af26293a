import { describe, expect, it } from 'vitest';
import type { Driver, DriverMachine, ObservedStatus, StepOutcome } from './driver.js';
import { type Expectation, type LabSku, SCENARIOS, type Scenario, type Step } from './scenarios.js';

/** The instant every scenario starts at: 2026-01-01T00:00:00Z. */
export const SCENARIO_START = Date.UTC(2026, 0, 1);

const DAY_MS = 86_400_000;

/** Registers every shared scenario the driver can run as a vitest test. */
export function runConformance(driver: Driver): void {
  const runnable = SCENARIOS.filter((scenario) =>
    scenario.needs.every((need) => driver.capabilities.includes(need)),
  );
  describe(`conformance through ${driver.name}`, () => {
    it.each(runnable.map((scenario) => [scenario.name, scenario] as const))(
      'when %s',
      async (_name, scenario) => {
        await runScenario(driver, scenario);
      },
    );
  });
}

async function runScenario(driver: Driver, scenario: Scenario): Promise<void> {
  const machine = await driver.newMachine();
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const at = SCENARIO_START + step.day * DAY_MS;
      const outcome = await perform(machine, step, skuOf(scenario), at);
      const status = await machine.status(skuOf(scenario), at);
      check(`step ${index + 1} (${step.do} on day ${step.day})`, step.expect, outcome, status);
    }
  } finally {
    await machine.close();
  }
}

function perform(
  machine: DriverMachine,
  step: Step,
  sku: LabSku,
  at: number,
): Promise<StepOutcome> {
  switch (step.do) {
    case 'install-key':
      return machine.installKey(step.sku, step.channel ?? defaultChannel(step.sku), at);
    case 'uninstall-key':
      return machine.uninstallKey(sku, at);
    case 'rearm':
      return machine.rearm(at);
    case 'activate-online':
      return machine.activateOnline(sku, at);
    case 'activate-phone':
      return machine.activatePhone(sku, at);
    case 'activate-volume':
      return machine.activateVolume(sku, at);
    case 'status':
      return Promise.resolve({ error: null });
  }
}

function skuOf(scenario: Scenario): LabSku {
  const installed = scenario.steps.find((step) => step.do === 'install-key');
  return installed?.do === 'install-key' ? installed.sku : 'retail';
}

function defaultChannel(sku: string): string {
  return sku === 'volume' || sku === 'server' ? 'volume_client' : 'retail';
}

function check(
  where: string,
  expected: Expectation,
  outcome: StepOutcome,
  status: ObservedStatus,
): void {
  expect(outcome.error, `${where}: error`).toBe(expected.error ?? null);
  expect(status.state, `${where}: state`).toBe(expected.state);
  if (expected.reason !== undefined)
    expect(status.reason, `${where}: reason`).toBe(expected.reason);
  if (expected.remainingRearms !== undefined) {
    expect(status.remainingRearms, `${where}: remaining rearms`).toBe(expected.remainingRearms);
  }
  if (expected.endsOnDay === undefined) return;
  const ends = expected.endsOnDay === null ? null : SCENARIO_START + expected.endsOnDay * DAY_MS;
  // Front ends that run real processes may see the clock move by a few seconds within a step.
  if (ends === null || status.endsAt === null) expect(status.endsAt, `${where}: end`).toBe(ends);
  else expect(Math.abs(status.endsAt - ends), `${where}: end`).toBeLessThan(60_000);
}
