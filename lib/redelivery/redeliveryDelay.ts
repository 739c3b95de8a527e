import type { RedeliveryBackoffConfig } from '../config/batchConfig.js';
import { entry } from '../failureLayer/entryParts.js';

/**
 * The wait before a message that failed its k-th attempt comes back: t_k from an explicit schedule (the
 * last entry repeats), or full jitter over [0, min(max, base * multiplier^(k-1))].
 */
export function redeliveryDelaySeconds(
  attempt: number,
  config: RedeliveryBackoffConfig,
  random: () => number = Math.random,
): number {
  const k = Math.max(1, attempt);
  if ('scheduleSeconds' in config && config.scheduleSeconds !== undefined) {
    const schedule = config.scheduleSeconds;
    return schedule[Math.min(k, schedule.length) - 1] ?? 0;
  }
  const exponential = config as Exclude<RedeliveryBackoffConfig, { scheduleSeconds: readonly number[] }>;
  const base = exponential.baseSeconds ?? entry.BATCH_CONFIG_DEFAULTS.redeliveryBackoff.baseSeconds;
  const max = exponential.maxSeconds ?? entry.BATCH_CONFIG_DEFAULTS.redeliveryBackoff.maxSeconds;
  const multiplier = exponential.multiplier ?? entry.BATCH_CONFIG_DEFAULTS.redeliveryBackoff.multiplier;
  return Math.floor(random() * Math.min(max, base * multiplier ** (k - 1)));
}

/**
 * A message's total visibility may not exceed 12 hours from the receive that produced its receipt handle
 * (SQS rejects the change otherwise). The event does not say when that receive happened; the poller may
 * have held the message for up to the longest batching window before the invocation started, so that much
 * (MAX_BATCHING_WINDOW_SECONDS) is assumed on top of the time since the batch started.
 */
export function clampVisibility(delaySeconds: number, batchStartedAt: number, now: number): number {
  const sinceReceive = Math.ceil((now - batchStartedAt) / 1_000) + entry.limits.MAX_BATCHING_WINDOW_SECONDS;
  return Math.max(0, Math.min(delaySeconds, entry.limits.MAX_VISIBILITY_SECONDS - sinceReceive));
}
