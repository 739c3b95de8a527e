/**
 * The custom metrics the runtime emits (CloudWatch Embedded Metric Format in the function's log) and the
 * construct's alarms and dashboard read. One list, imported by both sides.
 */
export const METRICS_NAMESPACE = 'SqsFailsafe';

/** Every metric carries the source queue's name in this dimension. */
export const QUEUE_DIMENSION = 'QueueName';

export const METRIC = {
  /** Records that succeeded. */
  succeeded: 'MessagesSucceeded',
  /** Records that did not succeed and were not dead-lettered: they come back, in place or as a copy. */
  failed: 'MessagesFailed',
  /** Records that failed with a retryable error (the outage signal). */
  transientFailures: 'TransientFailures',
  /** Records whose way back SQS accepted: a redelivery copy, or a visibility timeout set to the delay. */
  retriesScheduled: 'RetriesScheduled',
  /** Records redelivered as fresh copies (standard queues, `redelivery: 'copy'`, or released unattempted). */
  redeliveryCopies: 'RedeliveryCopies',
  /** Records that should have come back as a copy but could not (no room, or SQS refused it): they stay. */
  redeliveryCopiesFailed: 'RedeliveryCopiesFailed',
  /** Attempt histories in message attributes that were not believed (a producer's value): ignored. */
  attemptHistoriesIgnored: 'AttemptHistoriesIgnored',
  /** Attempt ledger reads that failed: those messages count their attempts from what they carry. */
  attemptLedgerReadsFailed: 'AttemptLedgerReadsFailed',
  /** Attempt ledger writes that failed: those attempts are not counted (never fewer tries, only more). */
  attemptLedgerWritesFailed: 'AttemptLedgerWritesFailed',
  /** Records the runtime sent to the DLQ itself (permanent, too old, or out of attempts). */
  deadLettered: 'MessagesDeadLettered',
  /** Visibility changes SQS refused (the record still reports failed). */
  visibilityChangesFailed: 'VisibilityChangesFailed',
  /** Outcome events that could not be published after retries. */
  notificationsFailed: 'NotificationsFailed',
  /** Callback topics named by a producer but not on the allow-list. */
  callbackTopicsRejected: 'CallbackTopicsRejected',
  /** Messages moved from a DLQ back to their source by the redrive engine. */
  redriven: 'MessagesRedriven',
  /** Retries inside the invocation refused by the retry budget (left to SQS redelivery). */
  retriesDenied: 'RetriesDenied',
  /**
   * Records not attempted, or not retried, because a dependency they call failed too often in a row in
   * the batch (the in-invocation dependency breaker).
   */
  failedFast: 'RecordsFailedFast',
  /** Records whose effect had already happened (idempotency key completed): the stored result was used. */
  duplicatesSkipped: 'DuplicatesSkipped',
  /** Records whose idempotency key another invocation was processing: reported failed, redelivered later. */
  duplicatesInProgress: 'DuplicatesInProgress',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
