import {
  DependencyUnavailableError,
  DuplicateInProgressError,
  HandlerResultError,
  isPermanentError,
  MessageExpiredError,
  TimeBudgetExceededError,
  toError,
} from '../errors.js';
import type { SqsRecord } from '../event/sqsEvent.js';
import type { IdempotentRun, RecordIdempotency } from '../idempotency/recordIdempotency.js';
import { METRIC } from '../metrics/metricNames.js';
import { isRetryableError } from '../retry/classifyError.js';
import { sleep } from '../time/sleep.js';
import type { RecordContext, RecordOutcome } from '../types.js';
import type { RecordDependencies } from './dependencyBreaker.js';
import { settleFailed, settleSkipped, settleSucceeded } from './outcome.js';
import type { RunContext } from './runContext.js';

/**
 * Decodes one record and calls the handler until it succeeds, fails for good, or the budget cannot fit
 * another try. Never throws: everything ends up in the outcome.
 */
export async function processRecord(outcome: RecordOutcome, run: RunContext): Promise<void> {
  const { record } = outcome;
  const { settings, budget, hooks, dependencyBreaker: breaker } = run;
  const { idempotency, retryBudget } = settings;

  if (settings.maxAgeMs !== undefined) {
    const ageMs = Date.now() - Number(record.attributes.SentTimestamp);
    if (ageMs > settings.maxAgeMs) {
      const error = new MessageExpiredError(
        record.messageId,
        Math.floor(ageMs / 1_000),
        settings.maxAgeMs / 1_000,
      );
      settleFailed(outcome, error, true, hooks);
      return;
    }
  }

  let message: unknown;
  let key: string | undefined;
  try {
    const decoded = settings.decode(record);
    message = decoded instanceof Promise ? await decoded : decoded;
    // A body without its key will never have one: permanent, like an undecodable body.
    if (idempotency !== undefined) key = idempotency.keyOf(message, record);
  } catch (error) {
    settleFailed(outcome, toError(error), true, hooks);
    return;
  }
  const dependencies: RecordDependencies =
    breaker === undefined ? 'all' : breaker.dependenciesOf(message, record);

  let previousAttemptMs = run.typicalAttemptMs;
  let lastError: Error | undefined;
  for (let attempt = 1; ; attempt += 1) {
    if (outcome.status !== 'pending') return;
    if (attempt === 1 && (budget.isExpired || !budget.allows(previousAttemptMs))) {
      settleSkipped(
        outcome,
        new TimeBudgetExceededError(
          `Message ${record.messageId} was not started: the time budget could not fit it.`,
          {
            messageId: record.messageId,
          },
        ),
        hooks,
      );
      return;
    }
    if (breaker !== undefined) {
      const open = breaker.blocking(dependencies);
      if (open !== undefined) {
        failFast(
          outcome,
          run,
          lastError ?? new DependencyUnavailableError(record.messageId, open, breaker.consecutiveFailures),
        );
        return;
      }
    }
    if (attempt === 1) retryBudget?.recordFirstAttempt();

    const startedAt = Date.now();
    outcome.startedAt ??= startedAt;
    outcome.attempts = attempt;
    const context: RecordContext = {
      record,
      attempt,
      signal: budget.signal,
      lambdaContext: run.lambdaContext,
      logger: settings.logger,
    };
    try {
      let result: unknown;
      // A completed duplicate called no dependency, so it proves nothing about their health.
      let calledDependencies = true;
      if (idempotency === undefined) {
        result = await run.handler(message, context);
        if (result instanceof Error) throw handlerReturnedError(record, result);
      } else {
        const idempotent = await attemptIdempotently(idempotency, key as string, message, context, run);
        result = idempotent.result;
        calledDependencies = !idempotent.duplicate;
      }
      run.recordAttempt(Date.now() - startedAt);
      if (calledDependencies) breaker?.recordSuccess(dependencies);
      settleSucceeded(outcome, result, hooks);
      return;
    } catch (thrown) {
      previousAttemptMs = Date.now() - startedAt;
      run.recordAttempt(previousAttemptMs);
      const error = toError(thrown);
      lastError = error;
      const permanent = isPermanentError(error);
      breaker?.recordFailure(error, record, permanent);
      if (error instanceof DuplicateInProgressError) {
        // Retrying at once would meet the same lock; SQS brings it back once the first delivery is done.
        run.metrics.add(METRIC.duplicatesInProgress, 1);
        settleFailed(outcome, error, false, hooks);
        return;
      }
      if (
        permanent ||
        attempt >= settings.retry.maxAttempts ||
        !isRetryableError(error, record, settings.retry.retryOn)
      ) {
        settleFailed(outcome, error, permanent, hooks);
        return;
      }
      if (breaker?.blocking(dependencies) !== undefined) {
        failFast(outcome, run, error);
        return;
      }
      const delayMs = settings.retry.delayAfterAttempt(attempt);
      if (!budget.allows(delayMs + previousAttemptMs)) {
        // Not enough time for the wait and another try: leave the retry to SQS rather than time out.
        settings.logger.debug('Retry left to SQS: the time budget cannot fit another attempt', {
          messageId: record.messageId,
          attempt,
          delayMs,
        });
        settleFailed(outcome, error, false, hooks);
        return;
      }
      if (retryBudget !== undefined && !retryBudget.tryRetry()) {
        // Retries are already adding their share of load in this container: the retry waits for SQS.
        run.metrics.add(METRIC.retriesDenied, 1);
        settings.logger.debug('Retry left to SQS: the retry budget is spent', {
          messageId: record.messageId,
          attempt,
        });
        settleFailed(outcome, error, false, hooks);
        return;
      }
      hooks.call('onRetry', { record, attempt, error, delayMs }, record.messageId);
      await sleep(delayMs, budget.signal);
      if (budget.isExpired) {
        // The deadline cut the wait short: report the real error rather than a bare timeout.
        settleFailed(outcome, error, false, hooks);
        return;
      }
    }
  }
}

/**
 * Not calling an open dependency: retryable, so the record keeps its redelivery delay. A record that
 * already ran reports its own last error; one never started reports DependencyUnavailableError.
 */
function failFast(outcome: RecordOutcome, run: RunContext, error: Error): void {
  run.metrics.add(METRIC.failedFast, 1);
  settleFailed(outcome, error, false, run.hooks);
}

/** One handler call through the idempotency store: a completed key returns its stored result instead. */
async function attemptIdempotently(
  idempotency: RecordIdempotency,
  key: string,
  message: unknown,
  context: RecordContext,
  run: RunContext,
): Promise<IdempotentRun> {
  const { record } = context;
  const outcome = await idempotency.run(
    { key, messageId: record.messageId, lambdaContext: run.lambdaContext },
    async () => {
      const result = await run.handler(message, context);
      if (result instanceof Error) throw handlerReturnedError(record, result);
      return result;
    },
  );
  if (outcome.duplicate) {
    run.metrics.add(METRIC.duplicatesSkipped, 1);
    run.settings.logger.debug('Duplicate: the effect already happened; its stored result is used', {
      messageId: record.messageId,
    });
  } else if (outcome.resultNotStored !== undefined) {
    run.settings.logger.warn(
      'The record was processed but its idempotency record could not be completed; a duplicate arriving ' +
        'after the in-progress lock expires would run again',
      { messageId: record.messageId, error: outcome.resultNotStored.message },
    );
  }
  return outcome;
}

function handlerReturnedError(record: SqsRecord, result: Error): HandlerResultError {
  return new HandlerResultError(
    `The handler returned an Error for message ${record.messageId} instead of throwing it; treated as a failure.`,
    { messageId: record.messageId },
    result,
  );
}
