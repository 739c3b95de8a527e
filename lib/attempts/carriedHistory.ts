import type { SqsMessageAttribute, SqsRecord } from '../event/sqsEvent.js';
import { entry } from '../failureLayer/entryParts.js';
import type { AttemptHistory } from './attemptHistory.js';
import { parseAttemptHistory } from './parseAttemptHistory.js';

export type CarriedHistory =
  | { readonly ok: true; readonly history: AttemptHistory }
  | { readonly ok: false; readonly problem: string };

/**
 * How far a copy's SentTimestamp may be from the time its history says it was copied: the copy is sent
 * within the invocation that stamps it (at most a function timeout, retries included), plus clock skew.
 * A function, since the limit comes from the entry once the failure layer is loaded (entryParts.ts).
 */
const copyWindowMs = () => (entry.limits.MAX_FUNCTION_TIMEOUT_SECONDS + 60) * 1_000;

/**
 * Whether the attempt history a record's attribute carries may be believed. Only a redelivery copy made
 * by the runtime carries one, and a copy is a new message (docs/aws-semantics.md#a-sent-message-is-new):
 * it has its own id and was sent when the history says it was copied. A producer's value (malformed, of
 * another type, out of range, or a history copied over from another message, such as one forwarded from a
 * DLQ) fails one of these checks and is ignored: it can neither crash the batch nor shorten the message's
 * retry life, which then starts afresh.
 */
export function carriedHistory(record: SqsRecord, attribute: SqsMessageAttribute): CarriedHistory {
  if (attribute.dataType !== 'String' || typeof attribute.stringValue !== 'string')
    return { ok: false, problem: `it is a ${String(attribute.dataType)} attribute, not a String one` };
  const parsed = parseAttemptHistory(attribute.stringValue);
  if (!parsed.ok) return parsed;
  const { history } = parsed;
  if (history.messageId === record.messageId)
    return { ok: false, problem: 'it names this very message, so no redelivery copy wrote it' };
  if (history.copiedAt === undefined) return { ok: false, problem: 'it does not say when it was copied' };
  const sentAt = entry.sentTimestampOf(record);
  if (sentAt === undefined || Math.abs(sentAt - Date.parse(history.copiedAt)) > copyWindowMs())
    return {
      ok: false,
      problem: `it was copied at ${history.copiedAt}, but this message was sent at another time, so it belongs to another message`,
    };
  if (Date.parse(history.firstSentAt) > sentAt + copyWindowMs())
    return { ok: false, problem: 'its first send is later than this message was sent' };
  return { ok: true, history };
}
