import {
  errors,
  freshHistory,
  isoTime,
  limits,
  safeText,
  sentTimestampOf,
  withAttempt,
  withNotAttempted,
} from '../failureLayer/entryParts.js';
import type { RecordOutcome } from '../types.js';
import type { NotAttemptedReason } from './attemptHistory.js';

/**
 * What this delivery was for the record's count: an attempt (the handler ran and the record ended
 * failed), a receive that was not one and why, or neither (a success, or a record that goes to the DLQ
 * without running: undecodable, too old, out of attempts).
 */
export function deliveryKind(outcome: RecordOutcome): 'attempt' | NotAttemptedReason | undefined {
  const { status, error } = outcome;
  if (status === 'failed') {
    if (outcome.calls > 0) return 'attempt';
    if (error instanceof errors.DependencyUnavailableError) return 'held';
    if (error instanceof errors.DuplicateInProgressError) return 'duplicate';
    return undefined;
  }
  if (status !== 'skipped') return undefined;
  if (error instanceof errors.FifoSkippedError) return 'skipped';
  if (error instanceof errors.RedeliveryNotDueError) return 'deferred';
  return 'released';
}

/**
 * Adds this delivery to the history of every record that did not succeed, once the batch has run and
 * before anything decides where the record goes: the dead letter, the copy and the ledger entry all carry
 * the history with it. A success ends the message's life, so its history is left as it came.
 */
export function recordDeliveries(outcomes: readonly RecordOutcome[], invocation: string): void {
  for (const outcome of outcomes) {
    if (outcome.status === 'succeeded' || outcome.status === 'pending') continue;
    const kind = deliveryKind(outcome);
    const { record } = outcome;
    const history = outcome.history ?? freshHistory(outcome.messageId, sentTimestampOf(record));
    if (kind === 'attempt') {
      const startedAt = outcome.startedAt ?? outcome.finishedAt ?? Date.now();
      outcome.history = withAttempt(history, {
        at: isoTime(startedAt),
        invocation,
        errorClass: safeText(outcome.error?.name ?? 'Error', limits.MAX_NAME_CHARS),
        errorMessage: safeText(outcome.error?.message ?? '', limits.MAX_ENTRY_ERROR_CHARS),
        durationMs: Math.max(0, (outcome.finishedAt ?? startedAt) - startedAt),
        calls: outcome.calls,
      });
    } else if (kind === undefined) outcome.history = history;
    else outcome.history = withNotAttempted(history, kind);
  }
}
