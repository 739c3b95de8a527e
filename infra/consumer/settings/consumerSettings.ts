import { durationSeconds } from '../durations/durationSeconds.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import { type ResolvedRedeliveryBackoff, resolveRedeliveryBackoff } from '../retry/redeliveryBackoff.js';
import { type RetryHorizon, retryHorizon } from '../retry/retryHorizon.js';

/** The construct's defaults, in one place (each is documented on its prop). */
export const CONSUMER_DEFAULTS = {
  retentionSeconds: 4 * 86_400,
  deadLetterRetentionSeconds: 14 * 86_400,
  functionTimeoutSeconds: 30,
  /** Lambda's own default, for an existing function created without a timeout. */
  existingFunctionTimeoutSeconds: 3,
  memorySize: 256,
  batchSize: 10,
  /** AWS recommends maxReceiveCount >= 5; the runtime dead-letters one receive earlier. */
  maxReceiveCountWithoutSchedule: 5,
  consumerErrorsThreshold: 1,
  consumerThrottlesThreshold: 1,
  /** AWS: visibility timeout >= 6 × function timeout (+ batching window). */
  visibilityPerFunctionTimeout: 6,
} as const;

/**
 * Every number the queues, the event source, the retry math and the alarms are built from, after defaults.
 * Durations are in seconds; a duration given as an unresolved token becomes NaN and fails validation.
 */
export interface ConsumerSettings {
  readonly fifo: boolean;
  readonly retentionSeconds: number;
  readonly deadLetterRetentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /** 6 × function timeout + batching window. */
  readonly minimumVisibilityTimeoutSeconds: number;
  readonly deliveryDelaySeconds: number;
  /** The queue's redrive policy maxReceiveCount (M). */
  readonly maxReceiveCount: number;
  /**
   * The receive on which the runtime dead-letters a failing message itself (R <= M - 1): the queue keeps
   * its last receive in reserve, so a message whose invocations never complete still reaches the DLQ
   * through the runtime, with metadata.
   */
  readonly deadLetterReceiveCount: number;
  readonly functionTimeoutSeconds: number;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly redeliveryBackoff: ResolvedRedeliveryBackoff;
  readonly horizon: RetryHorizon;
  readonly oldestMessageAgeThresholdSeconds: number;
  readonly consumerErrorsThreshold: number;
  readonly consumerThrottlesThreshold: number;
}

export function resolveConsumerSettings(props: FailsafeConsumerProps): ConsumerSettings {
  const fifo = props.fifo ?? false;
  const redeliveryBackoff = resolveRedeliveryBackoff(props.failsafe?.redeliveryBackoff);
  const functionTimeoutSeconds =
    props.consumerFunction !== undefined
      ? durationSeconds(props.consumerFunction.timeout, CONSUMER_DEFAULTS.existingFunctionTimeoutSeconds)
      : durationSeconds(props.timeout, CONSUMER_DEFAULTS.functionTimeoutSeconds);
  const maxBatchingWindowSeconds = durationSeconds(props.maxBatchingWindow, 0);
  const minimumVisibilityTimeoutSeconds =
    CONSUMER_DEFAULTS.visibilityPerFunctionTimeout * functionTimeoutSeconds + maxBatchingWindowSeconds;
  // R follows the schedule (n waits sit between n + 1 receives); M keeps one receive in reserve after R.
  const deadLetterReceiveCount =
    props.failsafe?.deadLetter?.maxReceiveCount ??
    ('scheduleSeconds' in redeliveryBackoff
      ? redeliveryBackoff.scheduleSeconds.length + 1
      : (props.maxReceiveCount ?? CONSUMER_DEFAULTS.maxReceiveCountWithoutSchedule) - 1);
  const maxReceiveCount = props.maxReceiveCount ?? deadLetterReceiveCount + 1;
  const retentionSeconds = durationSeconds(props.retentionPeriod, CONSUMER_DEFAULTS.retentionSeconds);
  const deliveryDelaySeconds = durationSeconds(props.deliveryDelay, 0);
  const visibilityTimeoutSeconds = durationSeconds(props.visibilityTimeout, minimumVisibilityTimeoutSeconds);
  const horizon = retryHorizon({
    deliveryDelaySeconds,
    redeliveryBackoff,
    maxReceiveCount,
    deadLetterReceiveCount,
    visibilityTimeoutSeconds,
    functionTimeoutSeconds,
    maxBatchingWindowSeconds,
  });
  return {
    fifo,
    retentionSeconds,
    deadLetterRetentionSeconds: durationSeconds(
      props.deadLetterRetentionPeriod,
      CONSUMER_DEFAULTS.deadLetterRetentionSeconds,
    ),
    visibilityTimeoutSeconds,
    minimumVisibilityTimeoutSeconds,
    deliveryDelaySeconds,
    maxReceiveCount,
    deadLetterReceiveCount,
    functionTimeoutSeconds,
    batchSize: props.batchSize ?? CONSUMER_DEFAULTS.batchSize,
    maxBatchingWindowSeconds,
    redeliveryBackoff,
    horizon,
    // An alarm at the horizon would fire too late to act when the horizon nears the retention.
    oldestMessageAgeThresholdSeconds: durationSeconds(
      props.oldestMessageAgeThreshold,
      Math.min(horizon.totalSeconds, Math.floor(retentionSeconds / 2)),
    ),
    consumerErrorsThreshold: props.consumerErrorsThreshold ?? CONSUMER_DEFAULTS.consumerErrorsThreshold,
    consumerThrottlesThreshold:
      props.consumerThrottlesThreshold ?? CONSUMER_DEFAULTS.consumerThrottlesThreshold,
  };
}
