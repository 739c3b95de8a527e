import { needsAttemptHistories } from '../attempts/needsAttemptHistories.js';
import {
  BatchFailedError,
  DuplicateInProgressError,
  InvalidOptionsError,
  MalformedRecordError,
} from '../errors.js';
import { type RecordProblem, readSqsEvent } from '../event/readSqsEvent.js';
import type { LambdaContextLike } from '../event/sqsEvent.js';
import { loadedFailureLayer, loadFailureLayer } from '../failureLayer/loadFailureLayer.js';
import { HookRunner } from '../hooks/hookRunner.js';
import { BatchMetrics } from '../metrics/batchMetrics.js';
import { embeddedMetricLine } from '../metrics/embeddedMetricFormat.js';
import { METRIC } from '../metrics/metricNames.js';
import { assertSupportedNode } from '../nodeVersion.js';
import { TimeBudget } from '../time/timeBudget.js';
import type {
  BatchContext,
  BatchOptions,
  BatchResult,
  LoggerLike,
  MessageOf,
  RecordHandler,
  RecordOutcome,
} from '../types.js';
import { buildBatchResponse } from './buildBatchResponse.js';
import { createOutcome, settleFailed } from './outcome.js';
import { resolveBatchOptions } from './resolveBatchOptions.js';
import { RunContext } from './runContext.js';
import { runRecords } from './runRecords.js';
import { runStages } from './runStages.js';
import { settleUnfinished } from './settleUnfinished.js';

/** Processes one SQS event and returns the response together with every record's outcome. */
export type BatchProcessor<TResult = unknown> = (
  event: unknown,
  context?: LambdaContextLike,
) => Promise<BatchResult<TResult>>;

/**
 * Validates the options once and returns a processor to call per invocation. The building block under
 * `createBatchHandler` and the `sqsFailsafe` middleware; use it directly to read the outcomes yourself.
 *
 * @example
 * const processor = createBatchProcessor(async (order: unknown) => save(order));
 * const { response, outcomes } = await processor(event, context);
 */
export function createBatchProcessor<const TOptions extends BatchOptions = BatchOptions, TResult = unknown>(
  handler: RecordHandler<MessageOf<TOptions>, TResult>,
  options?: TOptions,
): BatchProcessor<TResult> {
  assertSupportedNode();
  if (typeof handler !== 'function') {
    throw new InvalidOptionsError('sqs-failsafe handler', [
      `handler must be a function (message, context) => result (got ${handler === null ? 'null' : typeof handler})`,
    ]);
  }
  const settings = resolveBatchOptions(options);
  const recordHandler = handler as RecordHandler<unknown, unknown>;

  return async function processSqsBatch(event, context = {}) {
    const startedAt = Date.now();
    const { records, queue, problems } = readSqsEvent(event);
    if (queue === undefined) {
      return {
        response: { batchItemFailures: [] },
        outcomes: [],
        queue: undefined,
        timedOut: false,
        durationMs: 0,
      };
    }

    const budget = TimeBudget.start(context, settings.safetyMarginMs);
    const hooks = new HookRunner(settings.hooks, settings.logger);
    const outcomes = records.map(createOutcome);
    if (problems.length > 0) settleMalformed(outcomes, problems, hooks, settings.logger);
    const metrics = new BatchMetrics();
    try {
      // The failure layer is loaded (once per container) by the first batch that needs it: one holding a
      // redelivered message here, or one with a record that did not succeed below.
      if (settings.attempts !== undefined && needsAttemptHistories(outcomes, settings.attempts)) {
        const layer = loadedFailureLayer() ?? (await loadFailureLayer());
        const loading = layer.loadAttemptHistories(outcomes, settings.attempts, {
          fifo: queue.fifo,
          logger: settings.logger,
          metrics,
          deadline: budget.deadline,
        });
        if (loading !== undefined) await loading;
      }
      const run = new RunContext(recordHandler, settings, budget, hooks, context, metrics);
      await Promise.race([runRecords(outcomes, queue.fifo, run), budget.expired]);
      const timedOut = budget.isExpired && settleUnfinished(outcomes, hooks) > 0;
      if (outcomes.some(notSucceeded)) {
        const layer = loadedFailureLayer() ?? (await loadFailureLayer());
        layer.recordDeliveries(outcomes, context.awsRequestId ?? 'unknown');
      }

      // A healthy batch with no stages, no async hooks and nothing to log skips every await below.
      if (settings.stages.length > 0) {
        const batch: BatchContext = {
          queue,
          lambdaContext: context,
          budget,
          logger: settings.logger,
          hooks,
          metrics,
          startedAt,
          timedOut,
        };
        const staging = runStages(settings.stages, outcomes, batch, budget);
        if (staging !== undefined) await staging;
      }
      if (hooks.hasPending) await hooks.settled(budget.expired);

      const response = buildBatchResponse(outcomes);
      // Loaded whenever a record did not succeed (above); a batch that never loaded it has nothing to log.
      loadedFailureLayer()?.logFailedRecords(
        outcomes,
        settings.logger,
        budget.returnBy,
        settings.deadLetterRouting,
      );
      const durationMs = Date.now() - startedAt;
      if (settings.metrics) emitMetrics(outcomes, metrics, queue.name);
      if (settings.debugEnabled) {
        settings.logger.debug('Batch processed', {
          queue: queue.name,
          records: outcomes.length,
          reportedFailed: response.batchItemFailures.length,
          timedOut,
          durationMs,
        });
      }
      if (settings.throwOnBatchFailure && response.batchItemFailures.length === outcomes.length) {
        throw batchFailed(outcomes);
      }
      return { response, outcomes: outcomes as RecordOutcome<TResult>[], queue, timedOut, durationMs };
    } finally {
      budget.dispose();
      if (settings.ownLogger?.isLoading) await flushBefore(settings.ownLogger.flush(), budget.returnBy);
    }
  };
}

const notSucceeded = (outcome: RecordOutcome) => outcome.status !== 'succeeded';

/**
 * Records Lambda would never send: a record without a body is failed here, before anything runs, and the
 * rest of the batch is processed as usual; each problem (that one, or a repaired record) is one warning.
 */
function settleMalformed(
  outcomes: readonly RecordOutcome[],
  problems: readonly RecordProblem[],
  hooks: HookRunner,
  logger: LoggerLike,
): void {
  for (const { index, messageId, problem, processable } of problems) {
    logger.warn(`Malformed record: ${problem}`, { messageId, index });
    const outcome = outcomes[index];
    if (processable || outcome === undefined) continue;
    settleFailed(
      outcome,
      new MalformedRecordError(`Message ${messageId}: ${problem}.`, { messageId }),
      false,
      hooks,
    );
  }
}

/**
 * Waits for log lines still on their way (the logger loading), but never past `returnBy`: lines not out
 * by then are written when the process next runs, and the response is not late for them.
 */
async function flushBefore(flushed: Promise<void>, returnBy: number): Promise<void> {
  if (returnBy === Number.POSITIVE_INFINITY) {
    await flushed;
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    flushed,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, returnBy - Date.now()));
    }),
  ]);
  clearTimeout(timer);
}

/** One EMF line per invocation: outcome counts plus what the stages counted. */
function emitMetrics(outcomes: readonly RecordOutcome[], metrics: BatchMetrics, queueName: string): void {
  let succeeded = 0;
  let transient = 0;
  // Records coming back: reported failed, or sent again as a copy (the original then reports handled).
  let comingBack = 0;
  for (const outcome of outcomes) {
    if (outcome.status !== 'succeeded' && outcome.deadLetter === undefined) comingBack += 1;
    if (outcome.status === 'succeeded') succeeded += 1;
    // A duplicate waiting for its twin says nothing about the health of a dependency: not an outage signal.
    else if (
      outcome.status === 'failed' &&
      !outcome.permanent &&
      !(outcome.error instanceof DuplicateInProgressError)
    )
      transient += 1;
  }
  metrics.add(METRIC.succeeded, succeeded);
  metrics.add(METRIC.failed, comingBack);
  metrics.add(METRIC.transientFailures, transient);
  process.stdout.write(`${embeddedMetricLine(queueName, metrics.values, Date.now())}\n`);
}

function batchFailed(outcomes: readonly RecordOutcome[]): BatchFailedError {
  const first = outcomes[0]?.error;
  return new BatchFailedError(
    `All ${outcomes.length} records failed (throwOnBatchFailure is on); first error: ${first?.name}: ${first?.message}`,
    { records: outcomes.length, messageIds: outcomes.map((outcome) => outcome.messageId) },
    first,
  );
}
