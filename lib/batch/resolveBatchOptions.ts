import type { AttemptTracking } from '../attempts/attemptTracking.js';
import { resolveAttemptTracking } from '../attempts/resolveAttemptTracking.js';
import { AwsCallLatency } from '../aws/awsCallLatency.js';
import {
  BATCH_CONFIG_DEFAULTS,
  BATCH_CONFIG_ENV_VAR,
  type Envelope,
  type FifoMode,
} from '../config/batchConfig.js';
import { batchOptionsProblems, mergedAttemptProblems, readBatchConfig } from '../config/batchConfigCheck.js';
import { warnNoDeadLetterQueue } from '../deadLetter/noDeadLetterQueueWarning.js';
import { type BodyDecoder, createBodyDecoder } from '../decoding/createBodyDecoder.js';
import { InvalidOptionsError } from '../errors.js';
import { createRecordIdempotency, type RecordIdempotency } from '../idempotency/recordIdempotency.js';
import { createDefaultLogger, type FlushableLogger } from '../logging/defaultLogger.js';
import { RetryBudget } from '../retry/retryBudget.js';
import {
  exponentialRetryPolicy,
  NO_RETRY,
  type RetryPolicy,
  scheduledRetryPolicy,
} from '../retry/retryPolicy.js';
import type {
  BatchHooks,
  BatchOptions,
  DependencyBreakerOptions,
  LoggerLike,
  OutcomeStage,
  RetryOptions,
} from '../types.js';
import { outcomeStages } from './builtInStages.js';
import type { DependencyBreakerSettings } from './dependencyBreaker.js';

/** Options after validation and defaulting: what the runner reads on every batch. */
export interface ResolvedBatchOptions {
  readonly decode: BodyDecoder;
  readonly concurrency: number;
  readonly fifoMode: FifoMode;
  readonly retry: RetryPolicy;
  /** Shared by every invocation of the handler (the container); absent when retries are off or unlimited. */
  readonly retryBudget: RetryBudget | undefined;
  /** The in-invocation dependency breaker's settings; absent when it is off. */
  readonly dependencyBreaker: DependencyBreakerSettings | undefined;
  /** Record-level idempotency; absent when it is off. */
  readonly idempotency: RecordIdempotency | undefined;
  readonly safetyMarginMs: number;
  readonly throwOnBatchFailure: boolean;
  readonly hooks: BatchHooks;
  readonly logger: LoggerLike;
  /** Set when the logger is ours, so the runner can wait for lines still loading. */
  readonly ownLogger: FlushableLogger | undefined;
  /** False only when our own logger is known to drop debug lines, so building them can be skipped. */
  readonly debugEnabled: boolean;
  /** Messages first sent longer ago than this are not processed but dead-lettered. */
  readonly maxAgeMs: number | undefined;
  /** A message whose attempts reached this is dead-lettered (`deadLetter.maxAttempts`). */
  readonly maxAttempts: number | undefined;
  /** How attempts are kept across deliveries; absent when nothing counts them (no maxAttempts). */
  readonly attempts: AttemptTracking | undefined;
  /** Whether dead-letter routing is on (a DLQ is configured). */
  readonly deadLetterRouting: boolean;
  readonly metrics: boolean;
  /** Built-in and user stages, in the order they run. */
  readonly stages: readonly OutcomeStage[];
}

/**
 * Validates options once, when the handler is created (so a misconfiguration fails the cold start, not a
 * batch), merges them over the configuration in SQS_FAILSAFE_CONFIG, and applies the documented
 * defaults. Throws one InvalidOptionsError listing every problem.
 */
export function resolveBatchOptions(options: BatchOptions = {}): ResolvedBatchOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('sqs-failsafe options', [
      `options must be an object (got ${typeof options})`,
    ]);
  }
  const problems = batchOptionsProblems(options);
  if (problems.length > 0) throw new InvalidOptionsError('sqs-failsafe options', problems);

  const { version: _version, ...environment } =
    options.configFromEnvironment === false ? {} : readBatchConfig();
  const merged: BatchOptions = { ...environment, ...definedOnly(options) };
  const envelopeProblem = envelopeDisagreement(options.envelope, environment.envelope);
  if (envelopeProblem !== undefined) throw new InvalidOptionsError('sqs-failsafe options', [envelopeProblem]);
  if (merged.idempotency && merged.idempotency.keyPath !== undefined && merged.body === 'text') {
    throw new InvalidOptionsError('sqs-failsafe options', [
      `idempotency.keyPath: a path cannot be read from a text body (body is 'text'); use body 'json' or leave keyPath out to key by message id (got ${JSON.stringify(merged.idempotency.keyPath)})`,
    ]);
  }
  // Checked again on the merged options: the environment and the code may each hold half of the pair.
  const attemptsProblems = mergedAttemptProblems(merged);
  if (attemptsProblems.length > 0) throw new InvalidOptionsError('sqs-failsafe options', attemptsProblems);
  const ownLogger = merged.logger === undefined ? createDefaultLogger() : undefined;
  const logger = merged.logger ?? (ownLogger as FlushableLogger);
  const aws = merged.aws ?? {};
  if (merged.deadLetter === undefined) warnNoDeadLetterQueue(logger);

  const maxAgeSeconds = merged.deadLetter?.maxAgeSeconds;
  const attempts = resolveAttemptTracking(merged, aws);
  return {
    decode: createBodyDecoder(
      merged.body ?? 'json',
      merged.envelope ?? 'none',
      merged.schema,
      merged.notifications?.includeBody === true,
    ),
    concurrency: merged.concurrency ?? BATCH_CONFIG_DEFAULTS.concurrency,
    fifoMode: merged.fifoMode ?? BATCH_CONFIG_DEFAULTS.fifoMode,
    retry: resolveRetry(merged.retry),
    retryBudget: resolveRetryBudget(merged.retry),
    dependencyBreaker: resolveDependencyBreaker(merged.dependencyBreaker),
    idempotency: merged.idempotency ? createRecordIdempotency(merged.idempotency, aws) : undefined,
    safetyMarginMs: merged.safetyMarginMs ?? BATCH_CONFIG_DEFAULTS.safetyMarginMs,
    throwOnBatchFailure: merged.throwOnBatchFailure ?? false,
    hooks: (merged.hooks ?? {}) as BatchHooks,
    logger,
    ownLogger,
    debugEnabled: ownLogger?.debugEnabled ?? true,
    maxAgeMs: maxAgeSeconds === undefined ? undefined : maxAgeSeconds * 1_000,
    maxAttempts: merged.deadLetter?.maxAttempts,
    attempts,
    deadLetterRouting: merged.deadLetter !== undefined,
    metrics: merged.metrics ?? process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined,
    stages: outcomeStages(merged, aws, new AwsCallLatency(), attempts),
  };
}

/**
 * The one key where code may not win over the environment: the construct writes `envelope` from the queue's
 * SNS subscriptions (raw message delivery or not), and a handler decoding the other shape would fail every
 * record permanently. A disagreement is refused at cold start, before any message is touched.
 */
function envelopeDisagreement(inCode: Envelope | undefined, configured: Envelope | undefined) {
  if (inCode === undefined || configured === undefined || inCode === configured) return undefined;
  return (
    `envelope: the code says '${inCode}' but ${BATCH_CONFIG_ENV_VAR} says '${configured}', which the construct ` +
    `derives from the queue's SNS subscriptions (raw message delivery on: 'none'; off: 'sns'): leave envelope ` +
    'out of the code, or change rawMessageDelivery on the subscription'
  );
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Retries are limited by default; only `retry: false`, one attempt, or `budget: false` lift the budget. */
function resolveRetryBudget(retry: RetryOptions | false | undefined): RetryBudget | undefined {
  if (retry === false || retry?.budget === false) return undefined;
  if (retry?.scheduleMs === undefined && (retry?.maxAttempts ?? BATCH_CONFIG_DEFAULTS.retry.maxAttempts) <= 1)
    return undefined;
  return new RetryBudget({ ...BATCH_CONFIG_DEFAULTS.retry.budget, ...definedOnly(retry?.budget ?? {}) });
}

function resolveDependencyBreaker(
  options: DependencyBreakerOptions | false | undefined,
): DependencyBreakerSettings | undefined {
  if (options === undefined || options === false) return undefined;
  return {
    consecutiveFailures:
      options.consecutiveFailures ?? BATCH_CONFIG_DEFAULTS.dependencyBreaker.consecutiveFailures,
    dependencyOf: options.dependencyOf,
    dependenciesOf: options.dependenciesOf,
  };
}

function resolveRetry(retry: RetryOptions | false | undefined): RetryPolicy {
  if (retry === false) return NO_RETRY;
  if (retry?.scheduleMs !== undefined) return scheduledRetryPolicy(retry.scheduleMs, retry.retryOn);
  return exponentialRetryPolicy(
    {
      maxAttempts: retry?.maxAttempts ?? BATCH_CONFIG_DEFAULTS.retry.maxAttempts,
      baseDelayMs: retry?.baseDelayMs ?? BATCH_CONFIG_DEFAULTS.retry.baseDelayMs,
      maxDelayMs: retry?.maxDelayMs ?? BATCH_CONFIG_DEFAULTS.retry.maxDelayMs,
      multiplier: retry?.multiplier ?? BATCH_CONFIG_DEFAULTS.retry.multiplier,
    },
    retry?.retryOn,
  );
}
