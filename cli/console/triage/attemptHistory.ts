import type { FailureMetadata } from '../../../lib/deadLetter/failureMetadata.js';
import type { AttemptEntry } from '../consoleApi.js';

/**
 * The per-attempt history a dead letter carries (`failsafe.history`, docs/failure-routing.md), for the
 * message view: one entry per attempt, numbered as the message counted them (a long history keeps its
 * first and last attempts, so numbers can jump). `undefined` for a dead letter written before histories
 * existed: the page then shows the counts.
 */
export function readAttemptHistory(failure: FailureMetadata | undefined): AttemptEntry[] | undefined {
  const history = failure?.history;
  if (history === undefined) return undefined;
  const half = history.entries.length / 2;
  return history.entries.map((entry, index) => ({
    number: index < half ? index + 1 : index + 1 + history.omittedEntries,
    at: entry.at,
    invocation: entry.invocation,
    errorClass: entry.errorClass,
    errorMessage: entry.errorMessage,
    durationMs: entry.durationMs,
  }));
}
