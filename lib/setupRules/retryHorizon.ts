import { UNREPORTED_RECEIVE_ALLOWANCE } from '../attempts/receiveCountSafetyNet.js';
import type { RedeliveryMode } from '../config/batchConfig.js';
import { formatDuration } from '../time/formatDuration.js';
import { type ResolvedRedeliveryBackoff, redeliveryWaitSeconds } from './redeliveryBackoff.js';

/** What the retry horizon is computed from. */
export interface RetryHorizonInput {
  /** T_s: the queue's delivery delay. */
  readonly deliveryDelaySeconds: number;
  readonly redeliveryBackoff: ResolvedRedeliveryBackoff;
  /** A: the attempt on which the runtime dead-letters a failing message. */
  readonly maxAttempts: number;
  /**
   * Whose attempts a message can wait through: its own (1), and on a FIFO queue also those of the messages
   * ahead of it in its batch (the batch size): each of them may fail A times before it is dead-lettered.
   */
  readonly waitRounds: number;
  /** The most receives a message can get: the queue's maxReceiveCount M (FIFO, `visibility`), or A + U. */
  readonly receives: number;
  /** U: receives nobody reported on (a crash, a timeout), each followed by the visibility timeout. */
  readonly unreportedReceives: number;
  /** What a message waits after an invocation that never completed (no backoff was set). */
  readonly visibilityTimeoutSeconds: number;
  readonly functionTimeoutSeconds: number;
  readonly maxBatchingWindowSeconds: number;
}

/**
 * The longest a message can be retried before it is dead-lettered:
 *
 *   T_total = T_s + rounds × Σ_{k=1}^{A-1} w_k + U × visibility timeout + receives × (function timeout + batching window)
 *
 * w_k is the wait after the k-th failed attempt (t_k of the schedule, the last entry repeating; or the
 * exponential ceiling); the runtime dead-letters on attempt A. On a FIFO queue a message can wait through
 * the attempts of the B - 1 messages ahead of it in its batch before its own (rounds = B; receives in
 * which it only waited are released at once). The U receives nobody reported on (crashes, timeouts) set no
 * backoff, so each is followed by the queue's visibility timeout. Each receive is charged a whole batching
 * window and function timeout.
 *
 * @example
 * new CfnOutput(this, 'RetryHorizonSeconds', { value: String(orders.retryHorizon.totalSeconds) });
 */
export interface RetryHorizon {
  readonly totalSeconds: number;
  readonly deliveryDelaySeconds: number;
  /** w_1..w_{A-1}, for each round. */
  readonly waitsSeconds: readonly number[];
  /** U × visibility timeout. */
  readonly reserveWaitSeconds: number;
  readonly receives: number;
  /** Function timeout + batching window: the longest one receive can hold a message. */
  readonly receiveSeconds: number;
}

export function retryHorizon(input: RetryHorizonInput): RetryHorizon {
  const receives = Math.max(1, input.receives);
  const attemptWaits = Array.from({ length: Math.max(1, input.maxAttempts) - 1 }, (_, index) =>
    redeliveryWaitSeconds(input.redeliveryBackoff, index + 1),
  );
  const waitsSeconds = Array.from({ length: Math.max(1, input.waitRounds) }, () => attemptWaits).flat();
  const reserveWaitSeconds = Math.max(0, input.unreportedReceives) * input.visibilityTimeoutSeconds;
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

/** What a consumer's retry horizon follows from: its queue, mapping, function and runtime settings. */
export interface ConsumerRetryInput {
  readonly fifo: boolean;
  readonly redelivery: RedeliveryMode;
  /** A: the attempt on which the runtime dead-letters a failing message. */
  readonly maxAttempts: number;
  /** The queue's redrive policy maxReceiveCount (M). */
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  readonly redeliveryBackoff: ResolvedRedeliveryBackoff;
  readonly deliveryDelaySeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly functionTimeoutSeconds: number;
  readonly maxBatchingWindowSeconds: number;
}

/**
 * The retry horizon of an sqs-failsafe consumer: what the construct computes from its props and `doctor` from
 * a deployed consumer's queue, mapping and SQS_FAILSAFE_CONFIG, with one formula.
 *
 * @example
 * consumerRetryHorizon({ fifo: false, redelivery: 'copy', maxAttempts: 4, maxReceiveCount: 5, batchSize: 10, ... });
 */
export function consumerRetryHorizon(input: ConsumerRetryInput): RetryHorizon {
  const inPlace = input.fifo || input.redelivery === 'visibility';
  return retryHorizon({
    deliveryDelaySeconds: input.deliveryDelaySeconds,
    redeliveryBackoff: input.redeliveryBackoff,
    maxAttempts: input.maxAttempts,
    waitRounds: input.fifo ? input.batchSize : 1,
    // Copies restart the receive count: a failing message's receives are then its attempts and the crashes.
    receives: inPlace ? input.maxReceiveCount : input.maxAttempts + UNREPORTED_RECEIVE_ALLOWANCE,
    unreportedReceives: UNREPORTED_RECEIVE_ALLOWANCE,
    visibilityTimeoutSeconds: input.visibilityTimeoutSeconds,
    functionTimeoutSeconds: input.functionTimeoutSeconds,
    maxBatchingWindowSeconds: input.maxBatchingWindowSeconds,
  });
}

/** What bounds the retries of a consumer whose runtime does not count attempts: SQS's receive count. */
export interface ReceiveCountRetryInput {
  /** The queue's redrive policy maxReceiveCount (M): the receive on which SQS dead-letters. */
  readonly maxReceiveCount: number;
  /** The waits the runtime sets between receives; undefined: a failed message waits out the visibility timeout. */
  readonly redeliveryBackoff?: ResolvedRedeliveryBackoff | undefined;
  readonly deliveryDelaySeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly functionTimeoutSeconds: number;
  readonly maxBatchingWindowSeconds: number;
}

/**
 * The retry horizon of a consumer that leaves dead-lettering to SQS (no sqs-failsafe, or no
 * `deadLetter.maxAttempts`): M receives, each followed by the visibility timeout (counted from the receive, so
 * the wait after an invocation is what the timeout leaves of it) or by the runtime's backoff.
 *
 * @example
 * receiveCountRetryHorizon({ maxReceiveCount: 5, visibilityTimeoutSeconds: 180, functionTimeoutSeconds: 30, ... });
 */
export function receiveCountRetryHorizon(input: ReceiveCountRetryInput): RetryHorizon {
  return retryHorizon({
    deliveryDelaySeconds: input.deliveryDelaySeconds,
    redeliveryBackoff: input.redeliveryBackoff ?? {
      scheduleSeconds: [Math.max(0, input.visibilityTimeoutSeconds - input.functionTimeoutSeconds)],
    },
    maxAttempts: input.maxReceiveCount,
    waitRounds: 1,
    receives: input.maxReceiveCount,
    unreportedReceives: 0,
    visibilityTimeoutSeconds: input.visibilityTimeoutSeconds,
    functionTimeoutSeconds: input.functionTimeoutSeconds,
    maxBatchingWindowSeconds: input.maxBatchingWindowSeconds,
  });
}
