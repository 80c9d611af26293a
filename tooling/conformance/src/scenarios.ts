import type { LicenceStateName, StatusReason } from '@slm/core';

/** The SKUs of the lab catalog that scenarios name. */
export type LabSku = 'retail' | 'volume' | 'server' | 'kiosk';

/** What a front end must be able to do for a scenario to run through it. */
export type Capability = 'online' | 'phone' | 'volume';

/** One thing that happens to a machine, at `day` days after the scenario starts. */
export type Step =
  | {
      readonly day: number;
      readonly do: 'install-key';
      readonly sku: LabSku;
      readonly channel?: 'retail' | 'oem' | 'mak' | 'volume_client';
    }
  | { readonly day: number; readonly do: 'uninstall-key' }
  | { readonly day: number; readonly do: 'rearm' }
  | { readonly day: number; readonly do: 'activate-online' }
  | { readonly day: number; readonly do: 'activate-phone' }
  | { readonly day: number; readonly do: 'activate-volume' }
  | { readonly day: number; readonly do: 'status' };

/** What the status must be after a step: state, reason, and when it ends (days from start). */
export interface Expectation {
  readonly state: LicenceStateName;
  readonly reason?: StatusReason;
  /** Days after the scenario's start when the state ends; null when it does not end. */
  readonly endsOnDay?: number | null;
  /** For refused steps: the stable error code. */
  readonly error?: string;
  readonly remainingRearms?: number;
}

/** A licensing scenario: steps, each with the status expected after it. */
export interface Scenario {
  readonly name: string;
  readonly needs: readonly Capability[];
  readonly steps: readonly (Step & { readonly expect: Expectation })[];
}

/** The shared scenarios: every front end is held to the same behaviour. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'a trial counts down and ends in Notification',
    needs: [],
    steps: [
      { day: 0, do: 'status', expect: { state: 'unlicensed', reason: 'no_key', endsOnDay: null } },
      {
        day: 0,
        do: 'install-key',
        sku: 'retail',
        expect: { state: 'initial_grace', reason: 'trial', endsOnDay: 30 },
      },
      { day: 29, do: 'status', expect: { state: 'initial_grace', reason: 'trial', endsOnDay: 30 } },
      {
        day: 30,
        do: 'status',
        expect: { state: 'notification', reason: 'grace_expired', endsOnDay: null },
      },
    ],
  },
  {
    name: 'a clock moved back neither lengthens nor revives the trial',
    needs: [],
    steps: [
      {
        day: 0,
        do: 'install-key',
        sku: 'retail',
        expect: { state: 'initial_grace', endsOnDay: 30 },
      },
      { day: 20, do: 'status', expect: { state: 'initial_grace', endsOnDay: 30 } },
      { day: 2, do: 'status', expect: { state: 'initial_grace', reason: 'trial', endsOnDay: 30 } },
      { day: 31, do: 'status', expect: { state: 'notification', reason: 'grace_expired' } },
      { day: 5, do: 'status', expect: { state: 'notification', reason: 'grace_expired' } },
    ],
  },
  {
    name: 'a clock set forward and back again still counts the trial down in real time',
    needs: [],
    steps: [
      { day: 400, do: 'status', expect: { state: 'unlicensed' } },
      {
        day: 0,
        do: 'install-key',
        sku: 'retail',
        expect: { state: 'initial_grace', endsOnDay: 430 },
      },
      {
        day: 10,
        do: 'status',
        expect: { state: 'initial_grace', reason: 'trial', endsOnDay: 430 },
      },
      { day: 31, do: 'status', expect: { state: 'notification', reason: 'grace_expired' } },
    ],
  },
  {
    name: 'rearm restarts the trial until no rearms are left',
    needs: [],
    steps: [
      {
        day: 0,
        do: 'install-key',
        sku: 'retail',
        expect: { state: 'initial_grace', remainingRearms: 3 },
      },
      {
        day: 31,
        do: 'rearm',
        expect: { state: 'initial_grace', reason: 'trial', endsOnDay: 61, remainingRearms: 2 },
      },
      {
        day: 32,
        do: 'rearm',
        expect: { state: 'initial_grace', endsOnDay: 62, remainingRearms: 1 },
      },
      {
        day: 33,
        do: 'rearm',
        expect: { state: 'initial_grace', endsOnDay: 63, remainingRearms: 0 },
      },
      {
        day: 34,
        do: 'rearm',
        expect: { state: 'initial_grace', endsOnDay: 63, error: 'rearm.limit_reached' },
      },
    ],
  },
  {
    name: 'rearm switched off says so and changes nothing',
    needs: [],
    steps: [
      {
        day: 0,
        do: 'install-key',
        sku: 'kiosk',
        expect: { state: 'initial_grace', endsOnDay: 30, remainingRearms: 0 },
      },
      {
        day: 10,
        do: 'rearm',
        expect: { state: 'initial_grace', endsOnDay: 30, error: 'rearm.disabled' },
      },
    ],
  },
  {
    name: 'uninstalling the key returns to Unlicensed; reinstalling keeps the trial start',
    needs: [],
    steps: [
      {
        day: 0,
        do: 'install-key',
        sku: 'retail',
        expect: { state: 'initial_grace', endsOnDay: 30 },
      },
      { day: 5, do: 'uninstall-key', expect: { state: 'unlicensed', reason: 'no_key' } },
      { day: 6, do: 'uninstall-key', expect: { state: 'unlicensed', error: 'key.not_installed' } },
      {
        day: 10,
        do: 'install-key',
        sku: 'retail',
        expect: { state: 'initial_grace', endsOnDay: 30 },
      },
    ],
  },
  {
    name: 'online activation makes a retail key Licensed for good',
    needs: ['online'],
    steps: [
      { day: 0, do: 'install-key', sku: 'retail', expect: { state: 'initial_grace' } },
      {
        day: 3,
        do: 'activate-online',
        expect: { state: 'licensed', reason: 'activated', endsOnDay: null },
      },
      {
        day: 400,
        do: 'status',
        expect: { state: 'licensed', reason: 'activated', endsOnDay: null },
      },
    ],
  },
  {
    name: 'online activation after the trial ended leaves Notification',
    needs: ['online'],
    steps: [
      {
        day: 0,
        do: 'install-key',
        sku: 'retail',
        channel: 'mak',
        expect: { state: 'initial_grace' },
      },
      { day: 45, do: 'status', expect: { state: 'notification', reason: 'grace_expired' } },
      { day: 46, do: 'activate-online', expect: { state: 'licensed', reason: 'activated' } },
    ],
  },
  {
    name: 'phone activation makes the product Licensed',
    needs: ['phone'],
    steps: [
      { day: 0, do: 'install-key', sku: 'retail', expect: { state: 'initial_grace' } },
      {
        day: 1,
        do: 'activate-phone',
        expect: { state: 'licensed', reason: 'activated', endsOnDay: null },
      },
    ],
  },
  {
    name: 'volume activation lasts its validity, then additional grace, then Notification',
    needs: ['volume'],
    steps: [
      {
        day: 0,
        do: 'install-key',
        sku: 'volume',
        channel: 'volume_client',
        expect: { state: 'initial_grace' },
      },
      {
        day: 1,
        do: 'activate-volume',
        expect: { state: 'licensed', reason: 'volume_activated', endsOnDay: 181 },
      },
      {
        day: 100,
        do: 'activate-volume',
        expect: { state: 'licensed', reason: 'volume_activated', endsOnDay: 280 },
      },
      {
        day: 285,
        do: 'status',
        expect: { state: 'additional_grace', reason: 'volume_expired', endsOnDay: 310 },
      },
      { day: 310, do: 'status', expect: { state: 'notification', reason: 'grace_expired' } },
    ],
  },
];
