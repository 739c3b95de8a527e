import {
  AttemptsExhaustedError,
  DependencyUnavailableError,
  DuplicateInProgressError,
  HandlerResultError,
  isPermanentError,
  MessageExpiredError,
  RedeliveryNotDueError,
  TimeBudgetExceededError,
  toError,
} from '../errors.js';
import { sentTimestampOf } from '../event/recordAttributes.js';
import type { IdempotentRun } from '../idempotency/recordIdempotency.js';
import { METRIC } from '../metrics/metricNames.js';
import { isRetryableError } from '../retry/classifyError.js';
import { safeText } from '../text/safeText.js';
import { sleep } from '../time/sleep.js';
import type { LoggerLike, RecordContext, RecordOutcome } from '../types.js';
import { AttemptContext } from './attemptContext.js';
import type { RecordDependencies } from './dependencyBreaker.js';
import { settleFailed, settleSkipped, settleSucceeded } from './outcome.js';
import type { RunContext } from './runContext.js';
import type { WorkDone } from './runWithConcurrency.js';

/** Called once when a record that was still pending has settled, with its finish time if it succeeded. */
type Done = WorkDone;

/** A chained copy arriving this close to its due time is processed rather than sent on once more. */
const DUE_TOLERANCE_MS = 1_000;

/**
 * Decodes one record and calls the handler until it succeeds, fails for good, or the budget cannot fit
 * another try. Never throws: everything ends up in the outcome.
 *
 * Written with completion callbacks rather than as an async function: a record then costs the handler's
 * own promise and one reaction, not an async frame and further promises per record, which were the largest
 * part of the runtime's overhead on a healthy batch. Returns false when the record is already settled (a
 * synchronous handler); otherwise true, and calls `done` once it is.
 *
 * The lane's clock: a record taken up in the same turn in which the record before it in its lane
 * finished (`freedAt`, that record's finish time) starts at that finish, so one clock read ends one
 * attempt and starts the next; the two reads per record were the largest cost left on a healthy batch
 * (docs/benchmarks.md). An attempt then counts from the moment its lane came free: the previous record's
 * synchronous onSuccess hook and this record's decoding are part of it, which keeps the typical attempt
 * length (the time-budget estimate) the true cost of a record in a lane. After anything asynchronous
 * (a schema check, a retry's wait) the clock is read afresh.
 */
export function processRecord(
  outcome: RecordOutcome,
  run: RunContext,
  done: Done,
  freedAt?: number,
): boolean {
  // Settled before it ran: a malformed record the runner failed up front.
  if (outcome.status !== 'pending') return false;
  const { record } = outcome;
  const { settings, hooks } = run;

  if (settings.maxAgeMs !== undefined) {
    // The max age counts from the first send: a redelivery copy carries that time in its history. A
    // SentTimestamp that cannot be epoch ms (seconds, say) is missing, never "too old": no age rule.
    const { history } = outcome;
    const sentAt = history === undefined ? sentTimestampOf(record) : Date.parse(history.firstSentAt);
    const ageMs =
      sentAt === undefined || Number.isNaN(sentAt)
        ? warnUnknownAge(outcome, settings.logger)
        : Date.now() - sentAt;
    if (ageMs > settings.maxAgeMs) {
      const error = new MessageExpiredError(
        outcome.messageId,
        Math.floor(ageMs / 1_000),
        settings.maxAgeMs / 1_000,
      );
      settleFailed(outcome, error, true, hooks);
      return false;
    }
  }
  if (settings.maxAttempts !== undefined && outcome.attempts >= settings.maxAttempts) {
    const error = new AttemptsExhaustedError(outcome.messageId, outcome.attempts, settings.maxAttempts);
    settleFailed(outcome, error, true, hooks);
    return false;
  }
  const dueAt = outcome.history?.dueAt;
  if (dueAt !== undefined && Date.parse(dueAt) - Date.now() > DUE_TOLERANCE_MS) {
    const error = new RedeliveryNotDueError(
      `Message ${outcome.messageId} is not due before ${dueAt}; it is sent on to wait, unprocessed.`,
      { messageId: outcome.messageId, dueAt },
    );
    settleSkipped(outcome, error, hooks);
    return false;
  }

  let decoded: unknown;
  try {
    decoded = settings.decode(record, outcome.messageId);
  } catch (error) {
    settleFailed(outcome, toError(error), true, hooks);
    return false;
  }
  if (decoded instanceof Promise) {
    decoded.then(
      (message) => {
        if (!begin(outcome, run, message, done)) done();
      },
      (error: unknown) => {
        settleFailed(outcome, toError(error), true, hooks);
        done();
      },
    );
    return true;
  }
  return begin(outcome, run, decoded, done, freedAt);
}

/** processRecord for callers that await each record (the FIFO runner). */
export function processRecordAsync(outcome: RecordOutcome, run: RunContext): Promise<void> | undefined {
  const { promise, resolve } = Promise.withResolvers<void>();
  return processRecord(outcome, run, () => resolve()) ? promise : undefined;
}

function begin(
  outcome: RecordOutcome,
  run: RunContext,
  message: unknown,
  done: Done,
  freedAt?: number,
): boolean {
  const { idempotency } = run.settings;
  let key: string | undefined;
  if (idempotency !== undefined) {
    try {
      key = idempotency.keyOf(message, outcome.record, outcome.messageId);
    } catch (error) {
      // A body without its key will never have one: permanent, like an undecodable body.
      settleFailed(outcome, toError(error), true, run.hooks);
      return false;
    }
  }
  const dependencies: RecordDependencies =
    run.dependencyBreaker?.dependenciesOf(message, outcome.record) ?? 'all';
  return new RecordAttempts(outcome, run, message, key, dependencies, done).call(
    1,
    run.typicalAttemptMs,
    freedAt,
  );
}

/**
 * The handler calls of one record in this delivery (its attempt, with the in-invocation retries): what
 * each needs to know about the ones before it.
 */
class RecordAttempts {
  #lastError: Error | undefined;
  /** Set when a call succeeds: handed to the lane with `done`, as the next record's start. */
  #finishedAt: number | undefined;

  constructor(
    private readonly outcome: RecordOutcome,
    private readonly run: RunContext,
    private readonly message: unknown,
    private readonly key: string | undefined,
    private readonly dependencies: RecordDependencies,
    private readonly done: Done,
  ) {}

  call(callNumber: number, expectedMs: number, freedAt?: number): boolean {
    const { outcome, run } = this;
    if (outcome.status !== 'pending') return false;
    const { budget, hooks } = run;
    const { messageId } = outcome;
    // One clock read serves the budget check, the call's start, and its end's duration.
    const startedAt = freedAt ?? Date.now();
    if (callNumber === 1 && (budget.isExpired || !budget.allowsAt(startedAt, expectedMs))) {
      const error = new TimeBudgetExceededError(
        `Message ${messageId} was not started: the time budget could not fit it.`,
        {
          messageId,
        },
      );
      settleSkipped(outcome, error, hooks);
      return false;
    }
    const dependencyBreaker = run.dependencyBreaker;
    if (dependencyBreaker !== undefined) {
      const open = dependencyBreaker.blocking(this.dependencies);
      if (open !== undefined) {
        this.#failFast(
          this.#lastError ??
            new DependencyUnavailableError(messageId, open, dependencyBreaker.consecutiveFailures),
        );
        return false;
      }
    }
    if (callNumber === 1) run.settings.retryBudget?.recordFirstAttempt(startedAt);
    outcome.startedAt ??= startedAt;
    outcome.calls = callNumber;

    const context = new AttemptContext(outcome, callNumber, run);
    let result: unknown;
    try {
      result = this.key === undefined ? run.handler(this.message, context) : this.#idempotently(context);
    } catch (thrown) {
      return this.#afterFailure(callNumber, startedAt, thrown);
    }
    if (isThenable(result)) {
      result.then(
        (value) => {
          if (!this.#afterSuccess(callNumber, startedAt, value)) this.done(this.#finishedAt);
        },
        (thrown: unknown) => {
          if (!this.#afterFailure(callNumber, startedAt, thrown)) this.done();
        },
      );
      return true;
    }
    return this.#afterSuccess(callNumber, startedAt, result);
  }

  #afterSuccess(callNumber: number, startedAt: number, value: unknown): boolean {
    const { outcome, run } = this;
    // Through the idempotency store the value is the run's report; a completed duplicate called no
    // dependency, so it proves nothing about their health.
    const idempotent = this.key === undefined ? undefined : (value as IdempotentRun);
    const result = idempotent === undefined ? value : idempotent.result;
    if (result instanceof Error) {
      return this.#afterFailure(callNumber, startedAt, handlerReturnedError(outcome, result));
    }
    const finishedAt = Date.now();
    this.#finishedAt = finishedAt;
    run.recordAttempt(finishedAt - startedAt);
    if (idempotent?.duplicate !== true) run.dependencyBreaker?.recordSuccess(this.dependencies);
    settleSucceeded(outcome, result, run.hooks, finishedAt);
    return false;
  }

  #afterFailure(callNumber: number, startedAt: number, thrown: unknown): boolean {
    const { outcome, run } = this;
    const { settings, budget, hooks } = run;
    const { record } = outcome;
    const attemptMs = Date.now() - startedAt;
    run.recordAttempt(attemptMs);
    const error = toError(thrown);
    this.#lastError = error;
    const permanent = isPermanentError(error);
    run.dependencyBreaker?.recordFailure(error, record, permanent);
    if (error instanceof DuplicateInProgressError) {
      // Retrying at once would meet the same lock; SQS brings it back once the first delivery is done.
      // The lock kept the handler from running, so this call is not one of its calls.
      run.metrics.add(METRIC.duplicatesInProgress, 1);
      outcome.calls -= 1;
      settleFailed(outcome, error, false, hooks);
      return false;
    }
    if (
      permanent ||
      callNumber >= settings.retry.maxAttempts ||
      !isRetryableError(error, record, settings.retry.retryOn)
    ) {
      settleFailed(outcome, error, permanent, hooks);
      return false;
    }
    if (run.dependencyBreaker?.blocking(this.dependencies) !== undefined) {
      this.#failFast(error);
      return false;
    }
    const delayMs = settings.retry.delayAfterAttempt(callNumber);
    if (!budget.allows(delayMs + attemptMs)) {
      // Not enough time for the wait and another try: leave the retry to SQS rather than time out.
      settings.logger.debug('Retry left to SQS: the time budget cannot fit another call', {
        messageId: outcome.messageId,
        call: callNumber,
        delayMs,
      });
      settleFailed(outcome, error, false, hooks);
      return false;
    }
    if (settings.retryBudget !== undefined && !settings.retryBudget.tryRetry()) {
      // Retries are already adding their share of load in this container: the retry waits for SQS.
      run.metrics.add(METRIC.retriesDenied, 1);
      settings.logger.debug('Retry left to SQS: the retry budget is spent', {
        messageId: outcome.messageId,
        call: callNumber,
      });
      settleFailed(outcome, error, false, hooks);
      return false;
    }
    hooks.call(
      'onRetry',
      { record, attempt: outcome.attempts + 1, call: callNumber, error, delayMs },
      outcome.messageId,
    );
    sleep(delayMs, budget.signal).then(() => {
      if (budget.isExpired) {
        // The deadline cut the wait short: report the real error rather than a bare timeout.
        settleFailed(outcome, error, false, hooks);
        this.done();
        return;
      }
      if (!this.call(callNumber + 1, attemptMs)) this.done();
    });
    return true;
  }

  /**
   * Not calling an open dependency: retryable, so the record keeps its redelivery delay. A record that
   * already ran reports its own last error; one never started reports DependencyUnavailableError.
   */
  #failFast(error: Error): void {
    this.run.metrics.add(METRIC.failedFast, 1);
    settleFailed(this.outcome, error, false, this.run.hooks);
  }

  /** One handler call through the idempotency store: a completed key returns its stored result instead. */
  async #idempotently(context: RecordContext): Promise<IdempotentRun> {
    const { run, outcome } = this;
    const { messageId } = outcome;
    const idempotency = run.settings.idempotency;
    if (idempotency === undefined) throw new Error('idempotency is not configured');
    const report = await idempotency.run(
      { key: this.key as string, messageId, lambdaContext: run.lambdaContext },
      async () => {
        const result = await run.handler(this.message, context);
        if (result instanceof Error) throw handlerReturnedError(outcome, result);
        return result;
      },
    );
    if (report.duplicate) {
      run.metrics.add(METRIC.duplicatesSkipped, 1);
      run.settings.logger.debug('Duplicate: the effect already happened; its stored result is used', {
        messageId,
      });
    } else if (report.resultNotStored !== undefined) {
      run.settings.logger.warn(
        'The record was processed but its idempotency record could not be completed; a duplicate arriving ' +
          'after the in-progress lock expires would run again',
        { messageId, error: report.resultNotStored.message },
      );
    }
    return report;
  }
}

/** Warns that the max age cannot be applied to a record; returns an age no rule exceeds. */
function warnUnknownAge(outcome: RecordOutcome, logger: LoggerLike): number {
  const { messageId } = outcome;
  const value = outcome.record.attributes.SentTimestamp as unknown;
  logger.warn(
    `Message ${messageId}: its SentTimestamp ${value === undefined ? 'is missing' : `(${safeText(String(value), 64)}) is not epoch milliseconds`}; ` +
      'treated as missing, so the max age is not applied to it',
    { messageId, attribute: 'SentTimestamp' },
  );
  return Number.NEGATIVE_INFINITY;
}

function handlerReturnedError(outcome: RecordOutcome, result: Error): HandlerResultError {
  return new HandlerResultError(
    `The handler returned an Error for message ${outcome.messageId} instead of throwing it; treated as a failure.`,
    { messageId: outcome.messageId },
    result,
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function')
  );
}
