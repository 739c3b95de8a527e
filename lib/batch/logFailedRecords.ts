import { entry } from '../failureLayer/entryParts.js';
import { safeText } from '../text/safeText.js';
import type { LoggerLike, RecordOutcome } from '../types.js';

/** Error texts in log lines are cut here: enough to read, short enough for a log search. */
const MAX_LOGGED_ERROR_CHARS = 1_024;
/** The clock is read once per this many lines while writing, so a large failed batch stays cheap. */
const LINES_PER_CLOCK_READ = 16;

/**
 * One warn line per failed record, written after every stage, so that it can say what happens next: the
 * message id (the original one: a redelivery copy's own SQS id is added as `deliveryMessageId`), the
 * error's class and text (made safe, never longer than 1,024 characters), the message's attempt number
 * (its failed attempts, this one included when its handler ran; never the SQS receive count, which counts
 * receives in which it did not run), the handler calls it took in this delivery, and where it goes now
 * (dead-lettered, retry in N seconds, or back after the queue's visibility timeout). Records never attempted (FIFO followers, records
 * the time budget could not fit) get one info line for the batch: they did not fail themselves.
 * Nothing is written for a healthy batch. Lines stop at `returnBy`, so that writing them never runs the
 * handler into its timeout; `deadLetterRouting` says where a permanent failure goes without a DLQ.
 */
export function logFailedRecords(
  outcomes: readonly RecordOutcome[],
  logger: LoggerLike,
  returnBy: number,
  deadLetterRouting: boolean,
): void {
  let skipped: RecordOutcome[] | undefined;
  let written = 0;
  let failed = 0;
  let outOfTime = false;
  for (const outcome of outcomes) {
    if (outcome.status === 'succeeded') continue;
    if (outcome.status === 'skipped') {
      skipped ??= [];
      skipped.push(outcome);
      continue;
    }
    failed += 1;
    if (outOfTime) continue;
    if (written % LINES_PER_CLOCK_READ === 0 && Date.now() >= returnBy) {
      outOfTime = true;
      continue;
    }
    written += 1;
    logFailed(outcome, logger, deadLetterRouting);
  }
  if (outOfTime) {
    logger.warn(
      `${failed - written} more failed records were not logged one by one: no time was left before the ` +
        'Lambda timeout (they are reported failed like the others)',
      { notLogged: failed - written },
    );
  }
  if (skipped !== undefined) logSkipped(skipped, logger);
}

function logFailed(outcome: RecordOutcome, logger: LoggerLike, deadLetterRouting: boolean): void {
  const { record, error, messageId } = outcome;
  const errorClass = safeText(error?.name ?? 'Error', 256);
  const errorMessage = safeText(error?.message ?? '', MAX_LOGGED_ERROR_CHARS);
  const next = whatHappensNext(outcome, deadLetterRouting);
  const unusable = entry.unusableAttributes(record);
  logger.warn(`Message ${messageId} failed (${errorClass}: ${errorMessage}); ${next.text}`, {
    messageId,
    ...(messageId === record.messageId ? {} : { deliveryMessageId: record.messageId }),
    errorClass,
    errorMessage,
    permanent: outcome.permanent,
    attempt: outcome.attempts,
    handlerCalls: outcome.calls,
    next: next.kind,
    ...(next.retryInSeconds === undefined ? {} : { retryInSeconds: next.retryInSeconds }),
    ...(outcome.deadLetterError === undefined
      ? {}
      : { deadLetterError: safeText(outcome.deadLetterError.message, MAX_LOGGED_ERROR_CHARS) }),
    ...(unusable.length === 0 ? {} : { unusableAttributes: unusable }),
  });
}

interface NextStep {
  readonly kind: 'dead-lettered' | 'retry-scheduled' | 'released' | 'redelivered';
  readonly text: string;
  readonly retryInSeconds?: number;
}

function whatHappensNext(outcome: RecordOutcome, deadLetterRouting: boolean): NextStep {
  if (outcome.deadLetter !== undefined) {
    return {
      kind: 'dead-lettered',
      text: `dead-lettered to ${outcome.deadLetter.queueUrl} (${outcome.deadLetter.reason})`,
    };
  }
  const delay = outcome.retryScheduled?.delaySeconds;
  if (delay !== undefined && delay > 0)
    return { kind: 'retry-scheduled', text: `retry in ${delay} s`, retryInSeconds: delay };
  if (delay === 0) return { kind: 'released', text: 'released: SQS redelivers it now', retryInSeconds: 0 };
  if (outcome.permanent && !deadLetterRouting) {
    return {
      kind: 'redelivered',
      text:
        "redelivered after the queue's visibility timeout: no DLQ is configured (deadLetter), so it comes " +
        "back until the queue's redrive policy moves it",
    };
  }
  if (outcome.deadLetterError !== undefined) {
    return {
      kind: 'redelivered',
      text: "could not be dead-lettered; redelivered after the queue's visibility timeout",
    };
  }
  return { kind: 'redelivered', text: "redelivered after the queue's visibility timeout" };
}

function logSkipped(skipped: readonly RecordOutcome[], logger: LoggerLike): void {
  const released = skipped.filter((outcome) => outcome.retryScheduled?.delaySeconds === 0).length;
  const reasons = [...new Set(skipped.map((outcome) => outcome.error?.name ?? 'Error'))];
  logger.info(
    `${skipped.length} records were not attempted (${reasons.join(', ')}): ` +
      (released === skipped.length
        ? 'released, SQS redelivers them now'
        : "SQS redelivers them after the queue's visibility timeout"),
    {
      notAttempted: skipped.length,
      reasons,
      released,
      messageIds: skipped.map((outcome) => outcome.messageId),
    },
  );
}
