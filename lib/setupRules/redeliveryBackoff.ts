import { BATCH_CONFIG_DEFAULTS, type RedeliveryBackoffConfig } from '../config/batchConfig.js';

/** A redelivery backoff with every field present: what the construct writes for the runtime to read. */
export type ResolvedRedeliveryBackoff =
  | { readonly scheduleSeconds: readonly number[] }
  | { readonly baseSeconds: number; readonly maxSeconds: number; readonly multiplier: number };

/** The exponential backoff used when none, or only part of one, is given: the runtime's own default. */
export const DEFAULT_REDELIVERY_BACKOFF = BATCH_CONFIG_DEFAULTS.redeliveryBackoff;

/** Completes a backoff with the defaults, so infra and runtime compute the same waits. */
export function resolveRedeliveryBackoff(
  backoff: RedeliveryBackoffConfig | undefined,
): ResolvedRedeliveryBackoff {
  if (backoff !== undefined && 'scheduleSeconds' in backoff)
    return { scheduleSeconds: backoff.scheduleSeconds };
  return { ...DEFAULT_REDELIVERY_BACKOFF, ...backoff };
}

/**
 * The longest wait before the redelivery that follows the k-th failed receive (k >= 1): t_k of the
 * schedule (the last entry repeats beyond n), or the full-jitter ceiling min(max, base × multiplier^(k-1)).
 */
export function redeliveryWaitSeconds(backoff: ResolvedRedeliveryBackoff, k: number): number {
  if ('scheduleSeconds' in backoff) {
    const schedule = backoff.scheduleSeconds;
    return schedule[Math.min(k, schedule.length) - 1] ?? 0;
  }
  return Math.min(backoff.maxSeconds, backoff.baseSeconds * backoff.multiplier ** (k - 1));
}
