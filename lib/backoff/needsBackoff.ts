import type { RecordOutcome } from '../types.js';

/** Retryable failures get their redelivery delay; skipped records are released at once. */
export function needsBackoff(outcome: RecordOutcome): boolean {
  // A record without a receipt handle (never from Lambda) cannot have its visibility changed; asking would
  // only fail the request for the records batched with it.
  if (typeof outcome.record.receiptHandle !== 'string') return false;
  if (outcome.status === 'skipped') return true;
  return outcome.status === 'failed' && !outcome.permanent && outcome.deadLetter === undefined;
}
