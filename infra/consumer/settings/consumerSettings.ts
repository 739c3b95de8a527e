import { safetyNetMaxReceiveCount } from '../../../lib/attempts/receiveCountSafetyNet.js';
import { BATCH_CONFIG_DEFAULTS, type RedeliveryMode } from '../../../lib/config/batchConfig.js';
import {
  type ResolvedRedeliveryBackoff,
  resolveRedeliveryBackoff,
} from '../../../lib/setupRules/redeliveryBackoff.js';
import { consumerRetryHorizon, type RetryHorizon } from '../../../lib/setupRules/retryHorizon.js';
import { durationSeconds } from '../durations/durationSeconds.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';

/** The construct's defaults, in one place (each is documented on its prop). */
export const CONSUMER_DEFAULTS = {
  retentionSeconds: 4 * 86_400,
  deadLetterRetentionSeconds: 14 * 86_400,
  functionTimeoutSeconds: 30,
  /** Lambda's own default, for an existing function created without a timeout. */
  existingFunctionTimeoutSeconds: 3,
  memorySize: 256,
  batchSize: 10,
  /** Attempts a message gets without a redelivery schedule (with one, one more than its waits). */
  maxAttemptsWithoutSchedule: 4,
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
  /** The queue's redrive policy maxReceiveCount (M): the safety net for receives nobody reported on. */
  readonly maxReceiveCount: number;
  /** A: the attempt on which the runtime dead-letters a failing message itself. */
  readonly maxAttempts: number;
  /** How failed attempts of a standard queue come back (FIFO queues always stay in place). */
  readonly redelivery: RedeliveryMode;
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
  const fifo = props.fifo ?? props.existingQueue?.queue.fifo ?? false;
  const redeliveryBackoff = resolveRedeliveryBackoff(props.failsafe?.redeliveryBackoff);
  const functionTimeoutSeconds =
    props.consumerFunction !== undefined
      ? durationSeconds(props.consumerFunction.timeout, CONSUMER_DEFAULTS.existingFunctionTimeoutSeconds)
      : durationSeconds(props.timeout, CONSUMER_DEFAULTS.functionTimeoutSeconds);
  const maxBatchingWindowSeconds = durationSeconds(props.maxBatchingWindow, 0);
  const minimumVisibilityTimeoutSeconds =
    CONSUMER_DEFAULTS.visibilityPerFunctionTimeout * functionTimeoutSeconds + maxBatchingWindowSeconds;
  // A follows the schedule: n waits sit between n + 1 attempts.
  const maxAttempts =
    props.failsafe?.deadLetter?.maxAttempts ??
    ('scheduleSeconds' in redeliveryBackoff
      ? redeliveryBackoff.scheduleSeconds.length + 1
      : CONSUMER_DEFAULTS.maxAttemptsWithoutSchedule);
  const redelivery = props.failsafe?.redelivery ?? BATCH_CONFIG_DEFAULTS.redelivery;
  const batchSize = props.batchSize ?? CONSUMER_DEFAULTS.batchSize;
  const maxReceiveCount =
    props.maxReceiveCount ?? safetyNetMaxReceiveCount({ maxAttempts, fifo, batchSize, redelivery });
  const retentionSeconds = durationSeconds(props.retentionPeriod, CONSUMER_DEFAULTS.retentionSeconds);
  const deliveryDelaySeconds = durationSeconds(props.deliveryDelay, 0);
  const visibilityTimeoutSeconds = durationSeconds(props.visibilityTimeout, minimumVisibilityTimeoutSeconds);
  const horizon = consumerRetryHorizon({
    fifo,
    redelivery,
    maxAttempts,
    maxReceiveCount,
    batchSize,
    redeliveryBackoff,
    deliveryDelaySeconds,
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
    maxAttempts,
    redelivery,
    functionTimeoutSeconds,
    batchSize,
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
