import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VOLUME_INTERVALS,
  nextVolumeAttempt,
  type VolumeScheduleInput,
} from './volume-schedule.js';

const MIN = 60_000;
const DAY = 1440 * MIN;
const T = Date.UTC(2026, 0, 1);

const plan = (input: Partial<VolumeScheduleInput>) =>
  nextVolumeAttempt({
    now: T,
    licensedUntil: null,
    lastAttemptAt: null,
    lastAttemptActivated: false,
    intervals: DEFAULT_VOLUME_INTERVALS,
    ...input,
  });

describe('when a volume client asks its host next', () => {
  it.each([
    ['it never asked', {}, { at: T, reason: 'activate' }],
    [
      'the last request failed an hour ago',
      { lastAttemptAt: T - 60 * MIN },
      { at: T + 60 * MIN, reason: 'retry' },
    ],
    [
      'the last request failed with host intervals of 30 minutes',
      { lastAttemptAt: T - 10 * MIN, intervals: { activationMinutes: 30, renewalMinutes: 60 } },
      { at: T + 20 * MIN, reason: 'retry' },
    ],
    [
      'it was activated a day ago',
      { lastAttemptAt: T - DAY, lastAttemptActivated: true, licensedUntil: T + 179 * DAY },
      { at: T + 6 * DAY, reason: 'renew' },
    ],
    [
      'the renewal interval reaches past the end of the activation',
      {
        lastAttemptAt: T - DAY,
        lastAttemptActivated: true,
        licensedUntil: T + 2 * DAY,
      },
      { at: T + 2 * DAY, reason: 'renew' },
    ],
    [
      'a renewal failed while still licensed',
      { lastAttemptAt: T - 30 * MIN, lastAttemptActivated: false, licensedUntil: T + 100 * DAY },
      { at: T + 90 * MIN, reason: 'retry' },
    ],
    ['a retry is overdue', { lastAttemptAt: T - 10 * DAY }, { at: T, reason: 'retry' }],
    [
      'the clock moved back behind the last request',
      { lastAttemptAt: T + DAY, lastAttemptActivated: true, licensedUntil: T + 100 * DAY },
      { at: T, reason: 'renew' },
    ],
    [
      'the activation has run out',
      { lastAttemptAt: T - 181 * DAY, lastAttemptActivated: true, licensedUntil: T - DAY },
      { at: T, reason: 'retry' },
    ],
  ] as const)('and %s', (_what, input, expected) => {
    expect(plan(input)).toEqual(expected);
  });

  it('then the plan is never in the past', () => {
    for (let back = 0; back < 400; back += 7) {
      const at = plan({
        lastAttemptAt: T - back * DAY,
        lastAttemptActivated: back % 2 === 0,
        licensedUntil: T + DAY,
      }).at;
      expect(at).toBeGreaterThanOrEqual(T);
    }
  });
});
