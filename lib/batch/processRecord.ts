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
import { settleFailed, settleSkipped, settleSucceeded } from './outcome.js';
import type { RunContext } from './runContext.js';

/**
 * Decodes one record and calls the handler until it succeeds, fails for good, or the budget cannot fit
 * another try. Never throws: everything ends up in the outcome.
 */
export async function processRecord(outcome: RecordOutcome, run: RunContext): Promise<void> {
  const { record } = outcome;
  const { settings, budget, hooks } = run;

  if (settings.receiveLimit !== undefined) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    if (receiveCount > settings.receiveLimit) {
      settleFailed(
        outcome,
        new ReceiveLimitExceededError(record.messageId, receiveCount, settings.receiveLimit),
        true,
        hooks,
      );
      return;
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
      return;
    }
  }

  let message: unknown;
  try {
    const decoded = settings.decode(record);
    message = decoded instanceof Promise ? await decoded : decoded;
  } catch (error) {
    settleFailed(outcome, toError(error), true, hooks);
    return;
  }

  let previousAttemptMs = run.typicalAttemptMs;
  for (let attempt = 1; ; attempt += 1) {
    if (outcome.status !== 'pending') return;
    // One clock read serves the budget check, the attempt's start, and (below) its end and the outcome's
    // finishedAt: at tens of ns each, extra reads were a measurable share of the per-record cost.
    const startedAt = Date.now();
    if (attempt === 1 && (budget.isExpired || !budget.allowsAt(startedAt, previousAttemptMs))) {
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

    outcome.startedAt ??= startedAt;
    outcome.attempts = attempt;
    try {
      const result = await run.handler(message, {
        record,
        attempt,
        signal: budget.signal,
        lambdaContext: run.lambdaContext,
        logger: settings.logger,
      });
      if (result instanceof Error) {
        throw new HandlerResultError(
          `The handler returned an Error for message ${record.messageId} instead of throwing it; treated as a failure.`,
          { messageId: record.messageId },
          result,
        );
      }
      const finishedAt = Date.now();
      run.recordAttempt(finishedAt - startedAt);
      settleSucceeded(outcome, result, hooks, finishedAt);
      return;
    } catch (thrown) {
      previousAttemptMs = Date.now() - startedAt;
      run.recordAttempt(previousAttemptMs);
      const error = toError(thrown);
      const permanent = isPermanentError(error);
      if (
        permanent ||
        attempt >= settings.retry.maxAttempts ||
        !isRetryableError(error, record, settings.retry.retryOn)
      ) {
        settleFailed(outcome, error, permanent, hooks);
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
