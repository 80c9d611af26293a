import type { LicenceStatus } from './types.js';

/** Time left in a state, as slmgr shows it: minutes, and days rounded up. */
export interface TimeRemaining {
  readonly minutes: number;
  readonly days: number;
}

/**
 * Minutes and days left until the status ends, counted from its trusted time; null when the
 * state does not end. Days round up, so "0 days" never shows while time is left, and neither
 * count is ever negative.
 */
export function remainingTime(status: LicenceStatus): TimeRemaining | null {
  if (status.endsAt === null) return null;
  const ms = Math.max(0, status.endsAt - status.trustedTime);
  return { minutes: Math.ceil(ms / 60_000), days: Math.ceil(ms / 86_400_000) };
}
