import { entry } from '../failureLayer/entryParts.js';
import { safeText } from '../text/safeText.js';
import type { BatchContext, RecordOutcome } from '../types.js';
import { EVENT_SCHEMA_VERSION } from './eventConstants.js';
import type { FailsafeEventOf, MessageEvent } from './eventSchema.js';

/** What building events needs besides the outcomes; the id function is loaded lazily. */
export interface EventFactory {
  readonly batch: BatchContext;
  readonly includeBody: boolean;
  readonly newId: () => string;
  readonly now: number;
}

/** Error texts longer than this are cut so every event fits SNS's 256 KB. */
export const MAX_EVENT_ERROR_CHARS = 4_096;
/** An error class is an error's `name`, which a handler may set to anything. */
export const MAX_EVENT_ERROR_CLASS_CHARS = 256;

/** The record's one event for this invocation (its type decided by outcomeEventType). */
export function messageEventFor(outcome: RecordOutcome, factory: EventFactory): MessageEvent {
  const common = {
    schemaVersion: EVENT_SCHEMA_VERSION,
    id: factory.newId(),
    time: new Date(factory.now).toISOString(),
    source: sourceOf(factory.batch),
    message: messagePart(outcome, factory),
  } as const;
  const { attempts, calls } = outcome;
  const durationMs =
    (outcome.finishedAt ?? factory.now) - (outcome.startedAt ?? outcome.finishedAt ?? factory.now);
  const type = entry.outcomeEventType(outcome);
  if (type === 'message.succeeded') return { ...common, type, outcome: { attempts, calls, durationMs } };
  // Error texts hold anything: only characters SNS and SQS accept, cut on a code-point boundary.
  const error = {
    class: safeText(outcome.error?.name ?? 'Error', MAX_EVENT_ERROR_CLASS_CHARS),
    message: safeText(outcome.error?.message ?? '', MAX_EVENT_ERROR_CHARS),
    permanent: outcome.permanent,
  };
  if (type === 'message.dead-lettered' && outcome.deadLetter !== undefined) {
    const { queueUrl, messageId, reason } = outcome.deadLetter;
    return {
      ...common,
      type,
      outcome: { attempts, calls, durationMs, error, deadLetter: { queueUrl, messageId, reason } },
    };
  }
  if (type === 'message.retry-scheduled' && outcome.retryScheduled !== undefined) {
    const { delaySeconds, copyMessageId } = outcome.retryScheduled;
    return {
      ...common,
      type,
      outcome: {
        attempts,
        calls,
        durationMs,
        error,
        retryInSeconds: delaySeconds,
        ...(copyMessageId === undefined ? {} : { copyMessageId }),
      },
    };
  }
  return {
    ...common,
    type: 'message.failed',
    outcome: {
      status: outcome.status === 'skipped' ? 'skipped' : 'failed',
      attempts,
      calls,
      durationMs,
      error,
      ...(outcome.deadLetterError === undefined ? {} : { deadLetterError: outcome.deadLetterError.message }),
    },
  };
}

export function batchCompletedEvent(
  outcomes: readonly RecordOutcome[],
  factory: EventFactory,
): FailsafeEventOf<'batch.completed'> {
  let succeeded = 0;
  let deadLettered = 0;
  let retryScheduled = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'succeeded') succeeded += 1;
    else if (outcome.deadLetter !== undefined) deadLettered += 1;
    else if (outcome.retryScheduled !== undefined) retryScheduled += 1;
  }
  return {
    schemaVersion: EVENT_SCHEMA_VERSION,
    type: 'batch.completed',
    id: factory.newId(),
    time: new Date(factory.now).toISOString(),
    source: sourceOf(factory.batch),
    batch: {
      records: outcomes.length,
      succeeded,
      failed: outcomes.length - succeeded - deadLettered - retryScheduled,
      retryScheduled,
      deadLettered,
      timedOut: factory.batch.timedOut,
      durationMs: factory.now - factory.batch.startedAt,
    },
  };
}

function sourceOf(batch: BatchContext): MessageEvent['source'] {
  return {
    queueArn: batch.queue.arn,
    queueName: batch.queue.name,
    ...(batch.lambdaContext.functionName === undefined
      ? {}
      : { functionName: batch.lambdaContext.functionName }),
    ...(batch.lambdaContext.awsRequestId === undefined
      ? {}
      : { requestId: batch.lambdaContext.awsRequestId }),
  };
}

/**
 * The message's part of an event. No digest of the body: an unkeyed hash of a short, predictable body (an
 * account number, an amount) can be confirmed by hashing guesses (docs/failure-routing.md, "Bodies").
 * Values the record does not carry usably (a SentTimestamp in seconds, say) are left out, not guessed.
 */
function messagePart(outcome: RecordOutcome, factory: EventFactory): MessageEvent['message'] {
  const { record } = outcome;
  const group = record.attributes.MessageGroupId;
  const receiveCount = entry.receiveCountOf(record);
  const sentAt = entry.sentTimestampOf(record);
  // When the message was first sent: a redelivery copy carries that time in its history.
  const firstSentAt =
    outcome.history?.firstSentAt ?? (sentAt === undefined ? undefined : new Date(sentAt).toISOString());
  return {
    messageId: outcome.messageId,
    ...(outcome.messageId === record.messageId ? {} : { deliveryMessageId: record.messageId }),
    ...(group === undefined ? {} : { messageGroupId: group }),
    ...(receiveCount === undefined ? {} : { receiveCount }),
    ...(firstSentAt === undefined ? {} : { sentAt: firstSentAt }),
    bodySize: Buffer.byteLength(record.body),
    ...(factory.includeBody ? { body: record.body } : {}),
  };
}
