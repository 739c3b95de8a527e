import {
  HandlerResultError,
  isPermanentError,
  MessageExpiredError,
  ReceiveLimitExceededError,
  TimeBudgetExceededError,
  toError,
} from '../errors.js';
import { isRetryableError } from '../retry/classifyError.js';
import { sleep } from '../time/sleep.js';
import type { RecordOutcome } from '../types.js';
import { AttemptContext } from './attemptContext.js';
import { settleFailed, settleSkipped, settleSucceeded } from './outcome.js';
import type { RunContext } from './runContext.js';

/** Called once when a record that was still pending has settled. */
type Done = () => void;

/**
 * Decodes one record and calls the handler until it succeeds, fails for good, or the budget cannot fit
 * another try. Never throws: everything ends up in the outcome.
 *
 * Written with completion callbacks rather than as an async function: a record then costs the handler's
 * own promise and one reaction, not an async frame and further promises per record, which were the largest
 * part of the runtime's overhead on a healthy batch. Returns false when the record is already settled (a
 * synchronous handler); otherwise true, and calls `done` once it is.
 */
export function processRecord(outcome: RecordOutcome, run: RunContext, done: Done): boolean {
  const { record } = outcome;
  const { settings, hooks } = run;

  if (settings.receiveLimit !== undefined) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    if (receiveCount > settings.receiveLimit) {
      const error = new ReceiveLimitExceededError(record.messageId, receiveCount, settings.receiveLimit);
      settleFailed(outcome, error, true, hooks);
      return false;
    }
  }
  if (settings.maxAgeMs !== undefined) {
    const ageMs = Date.now() - Number(record.attributes.SentTimestamp);
    if (ageMs > settings.maxAgeMs) {
      const error = new MessageExpiredError(
        record.messageId,
        Math.floor(ageMs / 1_000),
        settings.maxAgeMs / 1_000,
      );
      settleFailed(outcome, error, true, hooks);
      return false;
    }
  }

  let decoded: unknown;
  try {
    decoded = settings.decode(record);
  } catch (error) {
    settleFailed(outcome, toError(error), true, hooks);
    return false;
  }
  if (decoded instanceof Promise) {
    decoded.then(
      (message) => {
        if (!attempt(outcome, run, message, 1, run.typicalAttemptMs, done)) done();
      },
      (error: unknown) => {
        settleFailed(outcome, toError(error), true, hooks);
        done();
      },
    );
    return true;
  }
  return attempt(outcome, run, decoded, 1, run.typicalAttemptMs, done);
}

/** processRecord for callers that await each record (the FIFO runner). */
export function processRecordAsync(outcome: RecordOutcome, run: RunContext): Promise<void> | undefined {
  const { promise, resolve } = Promise.withResolvers<void>();
  return processRecord(outcome, run, resolve) ? promise : undefined;
}

function attempt(
  outcome: RecordOutcome,
  run: RunContext,
  message: unknown,
  attemptNumber: number,
  expectedMs: number,
  done: Done,
): boolean {
  if (outcome.status !== 'pending') return false;
  const { budget, hooks } = run;
  // One clock read serves the budget check, the attempt's start, and its end's duration.
  const startedAt = Date.now();
  if (attemptNumber === 1 && (budget.isExpired || !budget.allowsAt(startedAt, expectedMs))) {
    const { messageId } = outcome.record;
    const error = new TimeBudgetExceededError(
      `Message ${messageId} was not started: the time budget could not fit it.`,
      {
        messageId,
      },
    );
    settleSkipped(outcome, error, hooks);
    return false;
  }
  outcome.startedAt ??= startedAt;
  outcome.attempts = attemptNumber;

  let result: unknown;
  try {
    result = run.handler(message, new AttemptContext(outcome.record, attemptNumber, run));
  } catch (thrown) {
    return afterFailure(outcome, run, message, attemptNumber, startedAt, thrown, done);
  }
  if (isThenable(result)) {
    result.then(
      (value) => {
        if (!afterSuccess(outcome, run, message, attemptNumber, startedAt, value, done)) done();
      },
      (thrown: unknown) => {
        if (!afterFailure(outcome, run, message, attemptNumber, startedAt, thrown, done)) done();
      },
    );
    return true;
  }
  return afterSuccess(outcome, run, message, attemptNumber, startedAt, result, done);
}

function afterSuccess(
  outcome: RecordOutcome,
  run: RunContext,
  message: unknown,
  attemptNumber: number,
  startedAt: number,
  result: unknown,
  done: Done,
): boolean {
  if (result instanceof Error) {
    const { messageId } = outcome.record;
    const error = new HandlerResultError(
      `The handler returned an Error for message ${messageId} instead of throwing it; treated as a failure.`,
      { messageId },
      result,
    );
    return afterFailure(outcome, run, message, attemptNumber, startedAt, error, done);
  }
  const finishedAt = Date.now();
  run.recordAttempt(finishedAt - startedAt);
  settleSucceeded(outcome, result, run.hooks, finishedAt);
  return false;
}

function afterFailure(
  outcome: RecordOutcome,
  run: RunContext,
  message: unknown,
  attemptNumber: number,
  startedAt: number,
  thrown: unknown,
  done: Done,
): boolean {
  const { settings, budget, hooks } = run;
  const { record } = outcome;
  const attemptMs = Date.now() - startedAt;
  run.recordAttempt(attemptMs);
  const error = toError(thrown);
  const permanent = isPermanentError(error);
  if (
    permanent ||
    attemptNumber >= settings.retry.maxAttempts ||
    !isRetryableError(error, record, settings.retry.retryOn)
  ) {
    settleFailed(outcome, error, permanent, hooks);
    return false;
  }
  const delayMs = settings.retry.delayAfterAttempt(attemptNumber);
  if (!budget.allows(delayMs + attemptMs)) {
    // Not enough time for the wait and another try: leave the retry to SQS rather than time out.
    settings.logger.debug('Retry left to SQS: the time budget cannot fit another attempt', {
      messageId: record.messageId,
      attempt: attemptNumber,
      delayMs,
    });
    settleFailed(outcome, error, false, hooks);
    return false;
  }
  hooks.call('onRetry', { record, attempt: attemptNumber, error, delayMs }, record.messageId);
  sleep(delayMs, budget.signal).then(() => {
    if (budget.isExpired) {
      // The deadline cut the wait short: report the real error rather than a bare timeout.
      settleFailed(outcome, error, false, hooks);
      done();
      return;
    }
    if (!attempt(outcome, run, message, attemptNumber + 1, attemptMs, done)) done();
  });
  return true;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function')
  );
}
