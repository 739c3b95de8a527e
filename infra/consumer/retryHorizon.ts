import { formatDuration } from './formatDuration.js';
import { type ResolvedRedeliveryBackoff, redeliveryWaitSeconds } from './redeliveryBackoff.js';

/** What the retry horizon is computed from. */
export interface RetryHorizonInput {
  /** T_s: the queue's delivery delay. */
  readonly deliveryDelaySeconds: number;
  readonly redeliveryBackoff: ResolvedRedeliveryBackoff;
  /** The queue's maxReceiveCount: the most receives a message can get before SQS moves it. */
  readonly maxReceiveCount: number;
  readonly functionTimeoutSeconds: number;
  readonly maxBatchingWindowSeconds: number;
}

/**
 * The longest a message can stay in the work queue while it is being retried:
 *
 *   T_total = T_s + Σ_{k=1}^{M-1} w_k + M × (function timeout + batching window)
 *
 * with M the queue's maxReceiveCount (M receives have M - 1 waits between them) and w_k the wait after the
 * k-th failed receive (t_k of the schedule, the last entry repeating; or the exponential ceiling). Each
 * receive is charged a whole batching window and a whole function timeout, the most it can take.
 */
export interface RetryHorizon {
  readonly totalSeconds: number;
  readonly deliveryDelaySeconds: number;
  /** w_1..w_{M-1}. */
  readonly waitsSeconds: readonly number[];
  readonly receives: number;
  /** Function timeout + batching window: the longest one receive can hold a message. */
  readonly receiveSeconds: number;
}

export function retryHorizon(input: RetryHorizonInput): RetryHorizon {
  const receives = Math.max(1, input.maxReceiveCount);
  const waitsSeconds = Array.from({ length: receives - 1 }, (_, index) =>
    redeliveryWaitSeconds(input.redeliveryBackoff, index + 1),
  );
  const receiveSeconds = input.functionTimeoutSeconds + input.maxBatchingWindowSeconds;
  const totalSeconds =
    input.deliveryDelaySeconds +
    waitsSeconds.reduce((sum, wait) => sum + wait, 0) +
    receives * receiveSeconds;
  return {
    totalSeconds,
    deliveryDelaySeconds: input.deliveryDelaySeconds,
    waitsSeconds,
    receives,
    receiveSeconds,
  };
}

/**
 * The horizon in words, as printed at synth time.
 *
 * @example
 * 'T_total = 10 min (delivery delay 0 s + 4 redelivery waits 7 min 30 s + 5 receives × 30 s)'
 */
export function describeRetryHorizon(horizon: RetryHorizon): string {
  const waits = horizon.waitsSeconds.reduce((sum, wait) => sum + wait, 0);
  return (
    `T_total = ${formatDuration(horizon.totalSeconds)} ` +
    `(delivery delay ${formatDuration(horizon.deliveryDelaySeconds)}` +
    ` + ${horizon.waitsSeconds.length} redelivery waits ${formatDuration(waits)}` +
    ` + ${horizon.receives} receives × ${formatDuration(horizon.receiveSeconds)})`
  );
}
