import type { RecordOutcome } from '../types.js';

/** Retryable failures get their redelivery delay; skipped records are released at once. */
export function needsBackoff(outcome: RecordOutcome): boolean {
  if (outcome.status === 'skipped') return true;
  return outcome.status === 'failed' && !outcome.permanent && outcome.deadLetter === undefined;
}
