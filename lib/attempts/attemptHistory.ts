/**
 * A message's attempt history: the product's own count of the times its handler ran and failed, with
 * what each attempt looked like, and the receives that were not attempts. SQS's ApproximateReceiveCount
 * counts every receive whatever happened in it (docs/aws-semantics.md#receive-count), so it cannot tell a
 * record that failed from one that merely waited behind another; this history can. It travels with a
 * redelivery copy (one message attribute) or sits in the attempt ledger, and ends up on the dead letter.
 *
 * Values are plain JSON (times as ISO 8601) so the same text is the copy's attribute, the ledger entry
 * and the dead letter's `failsafe.history`, and an operator can read it as it is.
 */

/** Why a receive was not an attempt. */
export type NotAttemptedReason =
  /** FIFO: an earlier message (of its group) failed first, so it had to wait. */
  | 'skipped'
  /** The time budget could not fit it; released to come back at once. */
  | 'released'
  /** The dependency breaker held it back: a dependency it calls kept failing in the batch. */
  | 'held'
  /** Another invocation was processing a record with the same idempotency key. */
  | 'duplicate'
  /** A chained redelivery copy that was received before it was due, and sent on. */
  | 'deferred'
  /** The invocation never reported on it: it crashed, timed out or was throttled. */
  | 'unreported';

export const NOT_ATTEMPTED_REASONS: readonly NotAttemptedReason[] = [
  'skipped',
  'released',
  'held',
  'duplicate',
  'deferred',
  'unreported',
];

/** One failed attempt. */
export interface AttemptEntry {
  /** ISO 8601: when its first handler call started. */
  readonly at: string;
  /** The Lambda request id of the invocation it ran in. */
  readonly invocation: string;
  /** The error's `name`. */
  readonly errorClass: string;
  /** The error's message as failure metadata carries it (cut to MAX_ENTRY_ERROR_CHARS). */
  readonly errorMessage: string;
  /** From its first handler call's start to its end (its retries and their waits included). */
  readonly durationMs: number;
  /** Handler calls it took (in-invocation retries are part of one attempt). */
  readonly calls: number;
}

/**
 * What a message went through before now: its failed attempts (up to a cap) and its receives that were
 * not attempts. Carried by a redelivery copy (the `failsafe.history` attribute), kept in the attempt
 * ledger, and attached to the dead letter (FailureMetadata.history). docs/failure-routing.md has the
 * contract and an example.
 *
 * @example
 * const history = readFailureMetadata(message.MessageAttributes ?? {})?.history;
 * if (history) console.log(`${history.attempts} attempts, first sent ${history.firstSentAt}`);
 */
export interface AttemptHistory {
  /** The format's version; a change that removes or re-types a field raises it. */
  readonly version: 1;
  /** The id SQS gave the first send: the message's identity for events, metadata and idempotency. */
  readonly messageId: string;
  /** ISO 8601: when the message was first sent; the max age counts from it. */
  readonly firstSentAt: string;
  /** Failed attempts so far. */
  readonly attempts: number;
  /**
   * The attempts, oldest first: all of them up to MAX_HISTORY_ENTRIES, beyond that the first and the last
   * HISTORY_ENDS each, so `entries.length + omittedEntries === attempts`.
   */
  readonly entries: readonly AttemptEntry[];
  /** Attempts between the kept first and last ones. */
  readonly omittedEntries: number;
  /** Receives that were not attempts, by why. */
  readonly notAttempted: Readonly<Record<NotAttemptedReason, number>>;
  // Transport fields: set by whatever carries the history (a copy, the ledger), kept until it is carried again.
  /** ISO 8601, copies only: when this copy was sent (a copy's state is trusted only close to it). */
  readonly copiedAt?: string | undefined;
  /** ISO 8601, chained copies only: not to be processed before this (delays beyond SQS's 900 s). */
  readonly dueAt?: string | undefined;
  /** Ledger entries only: the receive count of the SQS message when the entry was written. */
  readonly receiveCount?: number | undefined;
}

/** Attempts kept in full; beyond this, the first and the last HISTORY_ENDS each. */
export const MAX_HISTORY_ENTRIES = 20;
export const HISTORY_ENDS = MAX_HISTORY_ENTRIES / 2;

/** Error text kept per attempt; the dead letter's own `errorMessage` keeps more of the last one. */
export const MAX_ENTRY_ERROR_CHARS = 512;

const NONE: Readonly<Record<NotAttemptedReason, number>> = {
  skipped: 0,
  released: 0,
  held: 0,
  duplicate: 0,
  deferred: 0,
  unreported: 0,
};

/**
 * The history of a message seen for the first time. A send time that is missing or unusable (a malformed
 * record; see sentTimestampOf) counts as now, which can only make the message younger, never older.
 */
export function freshHistory(messageId: string, firstSentAt: number | undefined): AttemptHistory {
  return {
    version: 1,
    messageId,
    firstSentAt: isoTime(firstSentAt ?? Date.now()),
    attempts: 0,
    entries: [],
    omittedEntries: 0,
    notAttempted: NONE,
  };
}

/** The history with one more failed attempt; the middle of a long history is left out. */
export function withAttempt(history: AttemptHistory, entry: AttemptEntry): AttemptHistory {
  const entries = [...history.entries, entry];
  let omittedEntries = history.omittedEntries;
  if (entries.length > MAX_HISTORY_ENTRIES) {
    entries.splice(HISTORY_ENDS, 1);
    omittedEntries += 1;
  }
  return { ...history, attempts: history.attempts + 1, entries, omittedEntries };
}

/** The history with `count` more receives that were not attempts. */
export function withNotAttempted(
  history: AttemptHistory,
  reason: NotAttemptedReason,
  count = 1,
): AttemptHistory {
  if (count <= 0) return history;
  return {
    ...history,
    notAttempted: { ...history.notAttempted, [reason]: history.notAttempted[reason] + count },
  };
}

/** Receives that were not attempts, all reasons together. */
export function notAttemptedTotal(history: AttemptHistory): number {
  let total = 0;
  for (const reason of NOT_ATTEMPTED_REASONS) total += history.notAttempted[reason];
  return total;
}

/** Receives that were not attempts, as one short phrase (`2 skipped, 1 unreported`), for people. */
export function describeNotAttempted(history: AttemptHistory): string {
  const parts = NOT_ATTEMPTED_REASONS.filter((reason) => history.notAttempted[reason] > 0).map(
    (reason) => `${history.notAttempted[reason]} ${reason}`,
  );
  return parts.length === 0 ? 'none' : parts.join(', ');
}

export const isoTime = (epochMs: number) => new Date(epochMs).toISOString();
