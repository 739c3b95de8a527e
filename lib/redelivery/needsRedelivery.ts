import type { RecordOutcome } from '../types.js';

/**
 * Whether a record needs a way back chosen for it: retryable failures (their redelivery delay) and
 * records that were not attempted (released at once). Permanent failures the DLQ did not take are left to
 * the queue's redrive policy; successes and dead letters are done.
 */
export function needsRedelivery(outcome: RecordOutcome): boolean {
  // A record without a receipt handle (never from Lambda) can neither be copied and deleted nor have its
  // visibility changed; asking would only fail the request for the records batched with it.
  if (typeof outcome.record.receiptHandle !== 'string') return false;
  if (outcome.status === 'skipped') return true;
  return outcome.status === 'failed' && !outcome.permanent && outcome.deadLetter === undefined;
}
