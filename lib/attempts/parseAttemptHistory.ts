// The limit itself, not batchConfig's MAX_ATTEMPTS: this module is part of the failure layer's own bundle,
// which must not pull in the configuration schemas (infra/bundling/bundleLambda.ts).
import { MAX_REDRIVE_RECEIVE_COUNT as MAX_ATTEMPTS } from '../aws/serviceLimits.js';
import {
  type AttemptEntry,
  type AttemptHistory,
  MAX_HISTORY_ENTRIES,
  NOT_ATTEMPTED_REASONS,
  type NotAttemptedReason,
} from './attemptHistory.js';

export type ParsedHistory =
  | { readonly ok: true; readonly history: AttemptHistory }
  | { readonly ok: false; readonly problem: string };

/** SQS message ids are UUIDs; anything far longer is not one. */
const MAX_MESSAGE_ID_CHARS = 128;
/** More receives than any message can have had: SQS moves a message after at most 1,000 receives. */
const MAX_TALLY = 1_000_000;

/**
 * Reads an attempt history from untrusted text: a message attribute a producer may have set, or a ledger
 * entry. Every field is checked for type and range, and the counts must agree with each other; anything
 * else is refused with the first problem found, so a malformed value can never crash a batch or be half
 * believed. Whether a well-formed history may be believed for a given record is decided by the caller.
 */
export function parseAttemptHistory(text: string): ParsedHistory {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refused('it is not JSON');
  }
  if (!isObject(value)) return refused('it is not a JSON object');
  if (value.version !== 1) return refused('version is not 1');
  const { messageId, firstSentAt, attempts, entries, omittedEntries, notAttempted } = value;
  if (typeof messageId !== 'string' || messageId === '' || messageId.length > MAX_MESSAGE_ID_CHARS)
    return refused('messageId is not a message id');
  if (!isIsoTime(firstSentAt)) return refused('firstSentAt is not an ISO 8601 time');
  if (!isCount(attempts, MAX_ATTEMPTS))
    return refused(`attempts is not an integer from 0 to ${MAX_ATTEMPTS}`);
  if (!Array.isArray(entries) || entries.length > MAX_HISTORY_ENTRIES)
    return refused(`entries is not a list of at most ${MAX_HISTORY_ENTRIES} attempts`);
  if (!entries.every(isEntry))
    return refused('an entry is not an attempt { at, invocation, errorClass, ... }');
  if (!isCount(omittedEntries, MAX_ATTEMPTS)) return refused('omittedEntries is not a count');
  if (entries.length + omittedEntries !== attempts)
    return refused('entries and omittedEntries do not add up to attempts');
  if (
    !isObject(notAttempted) ||
    !NOT_ATTEMPTED_REASONS.every((reason) => isCount(notAttempted[reason], MAX_TALLY))
  )
    return refused(`notAttempted does not count ${NOT_ATTEMPTED_REASONS.join(', ')}`);
  for (const field of ['copiedAt', 'dueAt'] as const) {
    if (value[field] !== undefined && !isIsoTime(value[field]))
      return refused(`${field} is not an ISO 8601 time`);
  }
  if (value.receiveCount !== undefined && !isCount(value.receiveCount, MAX_TALLY))
    return refused('receiveCount is not a count');
  return {
    ok: true,
    history: {
      version: 1,
      messageId,
      firstSentAt,
      attempts,
      entries: entries as AttemptEntry[],
      omittedEntries,
      notAttempted: Object.fromEntries(
        NOT_ATTEMPTED_REASONS.map((reason) => [reason, notAttempted[reason]]),
      ) as Record<NotAttemptedReason, number>,
      copiedAt: value.copiedAt as string | undefined,
      dueAt: value.dueAt as string | undefined,
      receiveCount: value.receiveCount as number | undefined,
    },
  };
}

function isEntry(value: unknown): value is AttemptEntry {
  return (
    isObject(value) &&
    isIsoTime(value.at) &&
    typeof value.invocation === 'string' &&
    typeof value.errorClass === 'string' &&
    typeof value.errorMessage === 'string' &&
    typeof value.durationMs === 'number' &&
    Number.isFinite(value.durationMs) &&
    value.durationMs >= 0 &&
    isCount(value.calls, MAX_TALLY)
  );
}

const refused = (problem: string): ParsedHistory => ({ ok: false, problem });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;
}

function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && Number.isFinite(Date.parse(value));
}
