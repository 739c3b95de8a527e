import { describeSeconds, formatDuration } from '../../time/formatDuration.js';
import type { ConsumerSetup } from '../consumerSetup.js';
import { isKnown, type RuleViolation, type SetupRule } from '../setupRule.js';

/** A message still being retried when the work queue's retention runs out is deleted by SQS, not dead-lettered. */
export const RETENTION_OUTLASTS_RETRY_HORIZON: SetupRule = {
  id: 'retention-outlasts-retry-horizon',
  severity: 'error',
  summary: "The work queue's retention is longer than the retry horizon.",
  why: 'a message still being retried when its retention runs out is deleted by SQS: lost, never dead-lettered',
  reference: 'docs/aws-semantics.md#retention',
  check({ queue, retryHorizon }) {
    if (retryHorizon === undefined || !isKnown(retryHorizon.totalSeconds) || !isKnown(queue.retentionSeconds))
      return [];
    if (retryHorizon.totalSeconds < queue.retentionSeconds) return [];
    return [
      {
        prop: 'retentionPeriod',
        value: describeSeconds(queue.retentionSeconds),
        problem: `the retry horizon ${retryHorizon.description} is not shorter than the work queue's retention`,
        fix:
          `raise retentionPeriod above ${formatDuration(retryHorizon.totalSeconds)}, or shorten the redelivery ` +
          'backoff or maxReceiveCount',
      },
    ];
  },
};

/** A standard queue dead-letters a message with its original enqueue time. */
export const DEAD_LETTER_RETENTION_OUTLASTS_SOURCE: SetupRule = {
  id: 'dead-letter-retention-outlasts-source',
  severity: 'error',
  summary: "A standard DLQ's retention is longer than its work queue's.",
  why:
    'a standard queue keeps the original enqueue time when it dead-letters a message, so the DLQ deletes it ' +
    'as early as the work queue would have',
  reference: 'docs/aws-semantics.md#retention',
  check({ queue, deadLetterQueue }) {
    if (deadLetterQueue === undefined || queue.fifo) return [];
    if (!isKnown(queue.retentionSeconds) || !isKnown(deadLetterQueue.retentionSeconds)) return [];
    if (deadLetterQueue.retentionSeconds > queue.retentionSeconds) return [];
    return [
      {
        prop: 'deadLetterRetentionPeriod',
        value: describeSeconds(deadLetterQueue.retentionSeconds),
        problem: `the DLQ keeps messages no longer than the work queue (${describeSeconds(queue.retentionSeconds)})`,
        fix: `make deadLetterRetentionPeriod longer than retentionPeriod (${formatDuration(queue.retentionSeconds)}), up to 14 days`,
      },
    ];
  },
};

/**
 * Messages age while the consumer circuit breaker pauses the mapping: one pause and probe, then the retries that
 * follow, must fit in the retention.
 */
export const BREAKER_PAUSE_WITHIN_RETENTION: SetupRule = {
  id: 'breaker-pause-within-retention',
  severity: 'error',
  summary:
    "A consumer circuit breaker's pause and half-open probe, plus the retry horizon, fit in the work queue's retention.",
  why:
    'messages keep ageing while the breaker pauses the consumer; one that outlives the retention in the paused ' +
    'queue is deleted by SQS and never reaches the DLQ',
  reference: 'docs/aws-semantics.md#retention-counts-while-a-queue-is-not-consumed',
  check: breakerPauseViolations,
};

function breakerPauseViolations({ queue, consumerBreaker, retryHorizon }: ConsumerSetup): RuleViolation[] {
  if (consumerBreaker === undefined || !isKnown(queue.retentionSeconds)) return [];
  const { cooldownSeconds, probeSeconds } = consumerBreaker;
  if (!isKnown(cooldownSeconds) || !isKnown(probeSeconds)) return [];
  const horizon =
    retryHorizon !== undefined && isKnown(retryHorizon.totalSeconds) ? retryHorizon.totalSeconds : 0;
  // A horizon that alone outlasts the retention is RETENTION_OUTLASTS_RETRY_HORIZON's finding.
  if (horizon >= queue.retentionSeconds) return [];
  const needed = cooldownSeconds + probeSeconds + horizon;
  if (needed < queue.retentionSeconds) return [];
  const room = queue.retentionSeconds - horizon - probeSeconds;
  return [
    {
      prop: 'circuitBreaker.cooldown',
      value: describeSeconds(cooldownSeconds),
      problem:
        `a pause of ${formatDuration(cooldownSeconds)} (cooldown) + ${formatDuration(probeSeconds)} (probeInterval)` +
        (horizon > 0 ? ` + the retry horizon ${formatDuration(horizon)}` : '') +
        ` = ${formatDuration(needed)} is not shorter than the work queue's retention (${formatDuration(queue.retentionSeconds)})`,
      fix:
        room > 0
          ? `shorten circuitBreaker.cooldown below ${formatDuration(room)}, or raise retentionPeriod above ${formatDuration(needed)}`
          : `raise retentionPeriod above ${formatDuration(needed)}`,
    },
  ];
}
