import { randomUUID } from 'node:crypto';
import type { AlarmState, AlarmStateReader } from '../alarms/alarmState.js';
import { awsAlarmStates } from '../aws/alarmStateApi.js';
import { isQueueDoesNotExistError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import type { AwsClients } from '../aws/awsClients.js';
import { invokeAsync } from '../aws/lambdaInvokeApi.js';
import { queueNameFromUrl } from '../aws/queueReference.js';
import { publishNotifications } from '../aws/snsBatchApi.js';
import type { RedriveConfig, ResolvedRedriveConfig } from '../config/redriveConfig.js';
import { readRedriveConfig, resolveRedriveConfig } from '../config/redriveConfig.js';
import type { LambdaContextLike } from '../event/sqsEvent.js';
import type { RedriveEvent } from '../events/eventSchema.js';
import { createDefaultLogger } from '../logging/defaultLogger.js';
import { embeddedMetricLine } from '../metrics/embeddedMetricFormat.js';
import { METRIC } from '../metrics/metricNames.js';
import { assertSupportedNode } from '../nodeVersion.js';
import { redrive } from '../redrive/redriveEngine.js';
import { RedriveInterruptedError, RedriveQueueNotFoundError } from '../redrive/redriveErrors.js';
import type { RedriveReport } from '../redrive/redriveReport.js';
import type { LoggerLike } from '../types.js';
import { decideRedrive, needsDeadLetterAlarmState, needsHealthAlarmState } from './redriveDecision.js';
import {
  type RedriveRunInfo,
  redriveCompletedEvent,
  redriveNotification,
  redriveStartedEvent,
} from './redriveEvents.js';
import {
  INITIAL_REDRIVE_STATE,
  loadRedriveState,
  type RedriveState,
  saveRedriveState,
} from './redriveState.js';
import type { RedriveContinuationPayload } from './redriveTrigger.js';
import { CONTINUATION_KEY, parseRedriveTrigger } from './redriveTrigger.js';
import { afterRun, breakerTrips, currentWindow, isOpen } from './returnBreaker.js';

export interface RedriveHandlerOptions {
  /** @default read from SQS_FAILSAFE_REDRIVE_CONFIG at creation (cold start) */
  readonly config?: RedriveConfig;
  readonly aws?: AwsClients;
  /** @default a Powertools Logger, loaded on the first line written */
  readonly logger?: LoggerLike;
  /**
   * Reads the health alarm's state before a DLQ-alarm or scheduled redrive, and the DLQ alarm's before a
   * scheduled re-check (continuation "self-invoke").
   * @default DescribeAlarms through the AWS SDK (needs cloudwatch:DescribeAlarms on both alarms)
   */
  readonly alarmStates?: AlarmStateReader;
  /** Starts the next invocation of a run. @default an asynchronous Lambda invoke of this function */
  readonly invokeSelf?: (functionArn: string, payload: unknown) => Promise<void>;
  /** Emit the MessagesRedriven metric (Embedded Metric Format). @default on inside Lambda, off elsewhere */
  readonly metrics?: boolean;
  /** Where metric lines go. @default process.stdout */
  readonly writeMetrics?: (line: string) => void;
  readonly now?: () => number;
}

export interface RedriveInvocationResult {
  readonly status: 'skipped' | 'completed';
  /** Why the function redrove, or why not. */
  readonly reason: string;
  readonly runId?: string;
  /** Another invocation goes on with the run (self-invoke) or the schedule will (schedule). */
  readonly continues?: boolean;
  /** The return breaker opened during this run: automatic redrives stop for its `openSeconds`. */
  readonly breakerOpened?: boolean;
  readonly report?: RedriveReport;
}

/** Per-message outcomes kept in the function's report: enough to see what happened, small enough to log. */
const FUNCTION_REPORT_LIMIT = 100;

/**
 * The redrive function: decides from what invoked it whether to redrive (docs/redrive.md, "Policy"), runs
 * the engine within the invocation's time, keeps its state on the DLQ, goes on in another invocation when
 * messages remain, publishes `redrive.started` / `redrive.completed` and emits MessagesRedriven.
 *
 * @example
 * // functions/redrive/handler.ts
 * export const handler = createRedriveHandler();
 */
export function createRedriveHandler(
  options: RedriveHandlerOptions = {},
): (event: unknown, context?: LambdaContextLike) => Promise<RedriveInvocationResult> {
  assertSupportedNode();
  const config = options.config === undefined ? readRedriveConfig() : resolveRedriveConfig(options.config);
  const logger = options.logger ?? createDefaultLogger();
  const aws = options.aws ?? {};
  const now = options.now ?? Date.now;
  const metrics = options.metrics ?? process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  const writeMetrics = options.writeMetrics ?? ((line: string) => process.stdout.write(`${line}\n`));
  const invokeSelf =
    options.invokeSelf ??
    ((functionArn: string, payload: unknown) =>
      invokeAsync(functionArn, payload, { deadline: Date.now() + 5_000 }, aws.lambda));

  return async function sqsFailsafeRedriveHandler(event, context = {}) {
    const trigger = parseRedriveTrigger(event);
    const startedAt = now();
    const remainingMs = context.getRemainingTimeInMillis?.();
    const policy: AwsCallPolicy = {
      deadline: remainingMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + remainingMs - 1_000,
    };
    const manual = trigger.kind === 'manual' ? trigger.request : undefined;
    const ownDlq = manual?.dlq === undefined || manual.dlq === config.dlqUrl;
    const state = ownDlq ? await loadState(config, policy, aws, startedAt) : INITIAL_REDRIVE_STATE;

    const alarmStates = options.alarmStates ?? awsAlarmStates(policy, aws.cloudWatch);
    const [healthAlarmState, deadLetterAlarmState] = await Promise.all([
      needsHealthAlarmState(trigger, config)
        ? readAlarmState(config.healthAlarmName as string, 'Health', alarmStates, logger)
        : undefined,
      needsDeadLetterAlarmState(trigger, config)
        ? readAlarmState(config.dlqAlarmName as string, 'DLQ', alarmStates, logger)
        : undefined,
    ]);
    const decision = decideRedrive(trigger, config, state, startedAt, healthAlarmState, deadLetterAlarmState);
    if (!decision.run) {
      logger.info(`Redrive skipped: ${decision.reason}`, { trigger: trigger.kind });
      return { status: 'skipped', reason: decision.reason };
    }

    const continuation = trigger.kind === 'continuation' ? trigger.continuation : undefined;
    const run: RedriveRunInfo = {
      runId: continuation?.runId ?? randomUUID(),
      startedBy: decision.startedBy,
      continuation: continuation?.chain ?? 0,
      functionName: context.functionName,
      requestId: context.awsRequestId,
    };
    const maxMessages = manual?.max ?? continuation?.remaining ?? config.maxMessagesPerRun;
    const dryRun = manual?.dryRun ?? false;
    const keepsState = ownDlq && !dryRun;
    const returnBreaker = new AbortController();
    const publish = (redriveEvent: RedriveEvent) => publishEvent(redriveEvent, config, policy, aws, logger);

    let report: RedriveReport;
    let interruption: RedriveInterruptedError | undefined;
    try {
      report = await redrive({
        dlq: manual?.dlq ?? config.dlqUrl,
        source: manual?.source ?? (ownDlq ? config.sourceQueueUrl : undefined),
        strategy: 'manual',
        maxMessages,
        ratePerSecond: config.ratePerSecond,
        timeBudgetMs:
          remainingMs === undefined ? undefined : Math.max(1, remainingMs - config.safetyMarginMs),
        concurrency: config.concurrency,
        filter: manual?.filters ?? [],
        dryRun,
        maxRedrivesPerMessage: config.maxRedrivesPerMessage,
        parkingQueue: ownDlq ? config.parkingQueueUrl : undefined,
        reportLimit: FUNCTION_REPORT_LIMIT,
        onStart: (plan) => publish(redriveStartedEvent(run, plan, maxMessages)),
        onProgress: (progress) => {
          // The return breaker guards automatic runs: stop as soon as the returns seen reach the threshold.
          if (
            decision.guarded &&
            keepsState &&
            breakerTrips(state, progress.previouslyRedriven, config.circuitBreaker)
          )
            returnBreaker.abort();
        },
        signal: returnBreaker.signal,
        logger,
        aws,
      });
    } catch (error) {
      if (!(error instanceof RedriveInterruptedError)) throw error;
      interruption = error;
      report = error.report;
    }

    const endedAt = now();
    const next = keepsState
      ? afterRun(
          state,
          { redriven: report.moved, returned: report.previouslyRedriven },
          config.circuitBreaker,
          endedAt,
        )
      : state;
    const breakerOpened = keepsState && isOpen(next, endedAt) && !isOpen(state, startedAt);
    if (breakerOpened) {
      logger.error('Redrive return breaker opened: redriven messages keep coming back to the DLQ', {
        redriven: next.redriven,
        returned: next.returned,
        openUntil: new Date(next.openUntil).toISOString(),
      });
    }

    const remaining = maxMessages - report.moved;
    const wantsMore =
      interruption === undefined &&
      !dryRun &&
      !breakerOpened &&
      report.stopReason === 'time-budget' &&
      remaining > 0;
    const continues =
      wantsMore &&
      (config.continuation === 'schedule' ||
        (await continueBySelfInvoke(
          { runId: run.runId, chain: run.continuation + 1, remaining, startedBy: run.startedBy },
          config,
          context,
          invokeSelf,
          logger,
        )));
    if (keepsState) {
      const draining = continues && config.continuation === 'schedule';
      await saveRedriveState(config.dlqUrl, { ...next, draining }, policy, aws.sqs).catch((error: unknown) =>
        logger.error('Redrive state not saved: the next cooldown and return breaker decisions start afresh', {
          error,
        }),
      );
    }

    await publish(redriveCompletedEvent(run, report, { continues, breakerOpened }, endedAt));
    if (metrics && !dryRun) emitMetrics(report, config, writeMetrics, endedAt);
    const { messages: _messages, ...summary } = report;
    logger.info(`Redrive ${dryRun ? 'dry run ' : ''}completed: ${report.moved} moved`, {
      ...summary,
      runId: run.runId,
      continues,
    });
    if (interruption !== undefined) throw interruption;
    return {
      status: 'completed',
      reason: decision.reason,
      runId: run.runId,
      continues,
      breakerOpened,
      report,
    };
  };
}

/**
 * An alarm's state: the health alarm's, so that a DLQ alarm or the schedule does not redrive into an outage;
 * the DLQ alarm's, for the schedule's re-check. A failed read decides without it (logged): the return breaker
 * still guards the run.
 */
async function readAlarmState(
  alarmName: string,
  which: string,
  alarms: AlarmStateReader,
  logger: LoggerLike,
): Promise<AlarmState | undefined> {
  try {
    return await alarms.stateOf(alarmName);
  } catch (error) {
    logger.warn(`${which} alarm state not read; deciding without it`, {
      alarmName,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return undefined;
  }
}

async function loadState(
  config: ResolvedRedriveConfig,
  policy: AwsCallPolicy,
  aws: AwsClients,
  now: number,
): Promise<RedriveState> {
  try {
    return currentWindow(await loadRedriveState(config.dlqUrl, policy, aws.sqs), config.circuitBreaker, now);
  } catch (error) {
    if (isQueueDoesNotExistError(error)) throw new RedriveQueueNotFoundError('DLQ', config.dlqUrl);
    throw error;
  }
}

/** An alarm fires once per state change: the run goes on in a new invocation of this function. */
async function continueBySelfInvoke(
  continuation: RedriveContinuationPayload,
  config: ResolvedRedriveConfig,
  context: LambdaContextLike,
  invokeSelf: (functionArn: string, payload: unknown) => Promise<void>,
  logger: LoggerLike,
): Promise<boolean> {
  if (continuation.chain > config.maxContinuations) {
    logger.error('Redrive not continued: the run reached maxContinuations; messages remain in the DLQ', {
      runId: continuation.runId,
      maxContinuations: config.maxContinuations,
    });
    return false;
  }
  const functionArn = context.invokedFunctionArn ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
  if (functionArn === undefined) {
    logger.warn('Redrive not continued: the function does not know its own name outside Lambda');
    return false;
  }
  try {
    await invokeSelf(functionArn, { [CONTINUATION_KEY]: { continuation } });
    return true;
  } catch (error) {
    logger.error('Redrive not continued: invoking the function again failed; messages remain in the DLQ', {
      runId: continuation.runId,
      error,
    });
    return false;
  }
}

/** Events are best effort: a failed publish is logged and never changes what moved. */
async function publishEvent(
  event: RedriveEvent,
  config: ResolvedRedriveConfig,
  policy: AwsCallPolicy,
  aws: AwsClients,
  logger: LoggerLike,
): Promise<void> {
  if (config.topicArn === undefined) return;
  const [result] = await publishNotifications(
    config.topicArn,
    [redriveNotification(event, config.topicArn)],
    policy,
    aws.sns,
  );
  if (result !== undefined && !result.ok) {
    logger.error(`Redrive event ${event.type} not published`, {
      topicArn: config.topicArn,
      error: result.failure,
    });
  }
}

/** MessagesRedriven per destination queue, in the dimension the consumer's metrics use. */
function emitMetrics(
  report: RedriveReport,
  config: ResolvedRedriveConfig,
  write: (line: string) => void,
  now: number,
): void {
  const byQueue = Object.entries(report.movedByDestination);
  if (byQueue.length === 0) byQueue.push([config.sourceQueueUrl, 0]);
  for (const [queueUrl, moved] of byQueue) {
    write(embeddedMetricLine(queueNameFromUrl(queueUrl), new Map([[METRIC.redriven, moved]]), now));
  }
}
