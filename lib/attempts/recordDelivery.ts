import { entry } from '../failureLayer/entryParts.js';
import type { RecordOutcome } from '../types.js';

/**
 * Adds this delivery to the history of every record that did not succeed, once the batch has run and
 * before anything decides where the record goes: the dead letter, the copy and the ledger entry all carry
 * the history with it. A success ends the message's life, so its history is left as it came.
 */
export function recordDeliveries(outcomes: readonly RecordOutcome[], invocation: string): void {
  for (const outcome of outcomes) {
    if (outcome.status === 'succeeded' || outcome.status === 'pending') continue;
    const kind = entry.deliveryKind(outcome);
    const { record } = outcome;
    const history = outcome.history ?? entry.freshHistory(outcome.messageId, entry.sentTimestampOf(record));
    if (kind === 'attempt') {
      const startedAt = outcome.startedAt ?? outcome.finishedAt ?? Date.now();
      outcome.history = entry.withAttempt(history, {
        at: entry.isoTime(startedAt),
        invocation,
        errorClass: entry.safeText(outcome.error?.name ?? 'Error', entry.limits.MAX_NAME_CHARS),
        errorMessage: entry.safeText(outcome.error?.message ?? '', entry.limits.MAX_ENTRY_ERROR_CHARS),
        durationMs: Math.max(0, (outcome.finishedAt ?? startedAt) - startedAt),
        calls: outcome.calls,
      });
    } else if (kind === undefined) outcome.history = history;
    else outcome.history = entry.withNotAttempted(history, kind);
  }
}
