/** The intervals a volume client uses until a host sends its own (`/sai`, `/sri` defaults). */
export const DEFAULT_VOLUME_INTERVALS = { activationMinutes: 120, renewalMinutes: 10_080 } as const;

/** What the client knows when it plans its next request to a volume host. */
export interface VolumeScheduleInput {
  /** The client's clock now. */
  readonly now: number;
  /** When the current volume activation ends; null when the product is not volume-activated. */
  readonly licensedUntil: number | null;
  /** When the client last asked a host; null when it never has. */
  readonly lastAttemptAt: number | null;
  /** Whether that request activated (or renewed) the product. */
  readonly lastAttemptActivated: boolean;
  /** The last host's intervals, or DEFAULT_VOLUME_INTERVALS before any host answered. */
  readonly intervals: { readonly activationMinutes: number; readonly renewalMinutes: number };
}

/** Why the next request is made. */
export type VolumeAttemptReason = 'activate' | 'retry' | 'renew';

/** When to ask a volume host next, and why. */
export interface VolumeAttemptPlan {
  readonly at: number;
  readonly reason: VolumeAttemptReason;
}

const MINUTE_MS = 60_000;

/**
 * The volume client's timing rule: ask at once when it never has; while not activated, retry
 * every activation interval; once activated, renew every renewal interval — but never later than
 * the activation's end; after a failed renewal, retry every activation interval. A plan is never
 * in the past, and a clock moved back behind the last attempt makes the request due now.
 */
export function nextVolumeAttempt(input: VolumeScheduleInput): VolumeAttemptPlan {
  const licensed = input.licensedUntil !== null && input.licensedUntil > input.now;
  const last = input.lastAttemptAt;
  if (last === null || last > input.now)
    return { at: input.now, reason: licensed ? 'renew' : 'activate' };
  if (licensed && input.lastAttemptActivated) {
    const renewAt = last + input.intervals.renewalMinutes * MINUTE_MS;
    return {
      at: clamp(Math.min(renewAt, input.licensedUntil ?? renewAt), input.now),
      reason: 'renew',
    };
  }
  const retryAt = last + input.intervals.activationMinutes * MINUTE_MS;
  return { at: clamp(retryAt, input.now), reason: 'retry' };
}

function clamp(at: number, now: number): number {
  return Math.max(at, now);
}
