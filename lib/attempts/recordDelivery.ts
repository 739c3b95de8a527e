import { MAX_NAME_CHARS } from '../deadLetter/failureMetadata.js';
import { entry } from '../failureLayer/entryParts.js';
import { safeText } from '../text/safeText.js';
import type { RecordOutcome } from '../types.js';
import {
  freshHistory,
  isoTime,
  MAX_ENTRY_ERROR_CHARS,
  withAttempt,
  withNotAttempted,
} from './attemptHistory.js';

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
    const history = outcome.history ?? freshHistory(outcome.messageId, entry.sentTimestampOf(record));
    if (kind === 'attempt') {
      const startedAt = outcome.startedAt ?? outcome.finishedAt ?? Date.now();
      outcome.history = withAttempt(history, {
        at: isoTime(startedAt),
        invocation,
        errorClass: safeText(outcome.error?.name ?? 'Error', MAX_NAME_CHARS),
        errorMessage: safeText(outcome.error?.message ?? '', MAX_ENTRY_ERROR_CHARS),
        durationMs: Math.max(0, (outcome.finishedAt ?? startedAt) - startedAt),
        calls: outcome.calls,
      });
    } else if (kind === undefined) outcome.history = history;
    else outcome.history = withNotAttempted(history, kind);
  }
}
