import { describe, expect, it } from 'vitest';
import { remainingTime } from './time.js';
import type { LicenceStatus } from './types.js';

const status = (trustedTime: number, endsAt: number | null) =>
  ({ trustedTime, endsAt }) as LicenceStatus;

describe('time remaining', () => {
  it('when a minute is left then it shows 1 minute and 1 day, never 0 days', () => {
    expect(remainingTime(status(0, 60_000))).toEqual({ minutes: 1, days: 1 });
  });

  it('when exactly 30 days are left then it shows 43200 minutes and 30 days', () => {
    expect(remainingTime(status(0, 30 * 86_400_000))).toEqual({ minutes: 43_200, days: 30 });
  });

  it('when the end has passed then counts are zero, never negative', () => {
    expect(remainingTime(status(100, 50))).toEqual({ minutes: 0, days: 0 });
  });

  it('when the state does not end then there is no remaining time', () => {
    expect(remainingTime(status(0, null))).toBeNull();
  });
});
