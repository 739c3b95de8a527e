import type { SqsBatchResponse } from '../event/sqsEvent.js';
import type { RecordOutcome } from '../types.js';

/**
 * The partial batch response (docs/aws-semantics.md#report-batch-item-failures): every record that did
 * not succeed is listed by the id of its delivery so SQS keeps it; everything else is deleted. Built once,
 * from outcomes.
 */
export function buildBatchResponse(outcomes: readonly RecordOutcome[]): SqsBatchResponse {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const outcome of outcomes) {
    if (isReportedFailed(outcome)) batchItemFailures.push({ itemIdentifier: outcome.record.messageId });
  }
  return { batchItemFailures };
}

/**
 * Whether SQS must keep the message: anything short of success stays, unless the DLQ or a redelivery copy
 * in the source queue has been confirmed to hold it. Nothing is deleted that is not done or safely
 * elsewhere.
 */
export function isReportedFailed(outcome: RecordOutcome): boolean {
  return (
    outcome.status !== 'succeeded' &&
    outcome.deadLetter === undefined &&
    outcome.retryScheduled?.copyMessageId === undefined
  );
}
