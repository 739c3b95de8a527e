import type { FailureMetadata } from '../../../lib/deadLetter/failureMetadata.js';
import type { AttemptEntry } from '../consoleApi.js';

/**
 * The per-attempt history a dead letter carries, for the message view. Today's failure metadata holds
 * only counts (attempts in the last invocation, receives), so this finds none and the page shows the
 * counts; the attempt-history work (issue 12) adds a list of attempts to the metadata, and this is the
 * one place that reads it: an `attempts` or `history` array of entries with `at`, `invocation`,
 * `errorClass`, `errorMessage` and `durationMs`. Entries of another shape are shown with what they have.
 */
export function readAttemptHistory(failure: FailureMetadata | undefined): AttemptEntry[] | undefined {
  if (failure === undefined) return undefined;
  const record = failure as unknown as Record<string, unknown>;
  const list = [record.history, record.attempts].find(Array.isArray) as unknown[] | undefined;
  if (list === undefined) return undefined;
  return list.map((entry) => {
    const fields = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    return {
      at: text(fields.at),
      invocation: text(fields.invocation),
      errorClass: text(fields.errorClass),
      errorMessage: text(fields.errorMessage),
      durationMs: typeof fields.durationMs === 'number' ? fields.durationMs : undefined,
    };
  });
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
