import type { RetryPredicate } from '../types.js';

/** Resolved retry settings: how many attempts, and how long to wait after each failed one. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly retryOn: RetryPredicate | undefined;
  /** Milliseconds to wait after failed attempt `attempt` (1-based) before the next one. */
  delayAfterAttempt(attempt: number): number;
}

export interface ExponentialSettings {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
}

/**
 * Full jitter: the wait after attempt r+1 is uniform over [0, min(max, base * multiplier^r)]. Spreading
 * retries uniformly is what keeps many failing containers from retrying in lockstep.
 */
export function exponentialRetryPolicy(
  settings: ExponentialSettings,
  retryOn: RetryPredicate | undefined,
  random: () => number = Math.random,
): RetryPolicy {
  const { maxAttempts, baseDelayMs, maxDelayMs, multiplier } = settings;
  return {
    maxAttempts,
    retryOn,
    delayAfterAttempt(attempt) {
      const ceiling = Math.min(maxDelayMs, baseDelayMs * multiplier ** (attempt - 1));
      return Math.floor(random() * ceiling);
    },
  };
}

/** An explicit schedule t_1..t_n: n retries, the i-th after t_i ms; no jitter, the user chose the times. */
export function scheduledRetryPolicy(
  scheduleMs: readonly number[],
  retryOn: RetryPredicate | undefined,
): RetryPolicy {
  return {
    maxAttempts: scheduleMs.length + 1,
    retryOn,
    delayAfterAttempt: (attempt) => scheduleMs[attempt - 1] ?? 0,
  };
}

export const NO_RETRY: RetryPolicy = { maxAttempts: 1, retryOn: undefined, delayAfterAttempt: () => 0 };
