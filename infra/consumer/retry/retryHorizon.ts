import { formatDuration } from '../durations/formatDuration.js';
import { type ResolvedRedeliveryBackoff, redeliveryWaitSeconds } from './redeliveryBackoff.js';

/** What the retry horizon is computed from. */
export interface RetryHorizonInput {
  /** T_s: the queue's delivery delay. */
  readonly deliveryDelaySeconds: number;
  readonly redeliveryBackoff: ResolvedRedeliveryBackoff;
  /** The queue's maxReceiveCount (M): the most receives a message can get before SQS moves it. */
  readonly maxReceiveCount: number;
  /** R: the receive on which the runtime dead-letters a failing message. */
  readonly deadLetterReceiveCount: number;
  /** What a message waits after an invocation that never completed (no backoff was set). */
  readonly visibilityTimeoutSeconds: number;
  readonly functionTimeoutSeconds: number;
  readonly maxBatchingWindowSeconds: number;
}

/**
 * The longest a message can stay in the work queue while it is being retried:
 *
 *   T_total = T_s + Σ_{k=1}^{R-1} w_k + (M - R) × visibility timeout + M × (function timeout + batching window)
 *
 * w_k is the wait after the k-th failed receive (t_k of the schedule, the last entry repeating; or the
 * exponential ceiling); the runtime dead-letters on receive R. Receives after R (the queue's reserve, up to
 * M) happen only when an invocation never completed, so no backoff was set and the message waited the
 * queue's visibility timeout. Each receive is charged a whole batching window and function timeout.
 *
 * @example
 * new CfnOutput(this, 'RetryHorizonSeconds', { value: String(orders.retryHorizon.totalSeconds) });
 */
export interface RetryHorizon {
  readonly totalSeconds: number;
  readonly deliveryDelaySeconds: number;
  /** w_1..w_{R-1}. */
  readonly waitsSeconds: readonly number[];
  /** (M - R) × visibility timeout. */
  readonly reserveWaitSeconds: number;
  readonly receives: number;
  /** Function timeout + batching window: the longest one receive can hold a message. */
  readonly receiveSeconds: number;
}

export function retryHorizon(input: RetryHorizonInput): RetryHorizon {
  const receives = Math.max(1, input.maxReceiveCount);
  const runtimeReceives = Math.min(receives, Math.max(1, input.deadLetterReceiveCount));
  const waitsSeconds = Array.from({ length: runtimeReceives - 1 }, (_, index) =>
    redeliveryWaitSeconds(input.redeliveryBackoff, index + 1),
  );
  const reserveWaitSeconds = (receives - runtimeReceives) * input.visibilityTimeoutSeconds;
  const receiveSeconds = input.functionTimeoutSeconds + input.maxBatchingWindowSeconds;
  const totalSeconds =
    input.deliveryDelaySeconds +
    waitsSeconds.reduce((sum, wait) => sum + wait, 0) +
    reserveWaitSeconds +
    receives * receiveSeconds;
  return {
    totalSeconds,
    deliveryDelaySeconds: input.deliveryDelaySeconds,
    waitsSeconds,
    reserveWaitSeconds,
    receives,
    receiveSeconds,
  };
}

/**
 * The horizon in words, as printed at synth time.
 *
 * @example
 * 'T_total = 13 min (delivery delay 0 s + 3 redelivery waits 7 min + reserve visibility 3 min + 5 receives × 30 s)'
 */
export function describeRetryHorizon(horizon: RetryHorizon): string {
  const waits = horizon.waitsSeconds.reduce((sum, wait) => sum + wait, 0);
  return (
    `T_total = ${formatDuration(horizon.totalSeconds)} ` +
    `(delivery delay ${formatDuration(horizon.deliveryDelaySeconds)}` +
    ` + ${horizon.waitsSeconds.length} redelivery waits ${formatDuration(waits)}` +
    (horizon.reserveWaitSeconds > 0
      ? ` + reserve visibility ${formatDuration(horizon.reserveWaitSeconds)}`
      : '') +
    ` + ${horizon.receives} receives × ${formatDuration(horizon.receiveSeconds)})`
  );
}
