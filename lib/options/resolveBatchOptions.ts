import * as v from 'valibot';
import { type BodyDecoder, createBodyDecoder } from '../decoding/createBodyDecoder.js';
import { InvalidOptionsError } from '../errors.js';
import { createDefaultLogger, type FlushableLogger } from '../logging/defaultLogger.js';
import {
  exponentialRetryPolicy,
  NO_RETRY,
  type RetryPolicy,
  scheduledRetryPolicy,
} from '../retry/retryPolicy.js';
import type { BatchHooks, BatchOptions, FifoMode, LoggerLike, OutcomeStage, RetryOptions } from '../types.js';
import { integerIn, schemaProblems, unknownKey } from './schemaProblems.js';

/** Options after validation and defaulting: what the runner reads on every batch. */
export interface ResolvedBatchOptions {
  readonly decode: BodyDecoder;
  readonly concurrency: number;
  readonly fifoMode: FifoMode;
  readonly retry: RetryPolicy;
  readonly safetyMarginMs: number;
  readonly throwOnBatchFailure: boolean;
  readonly hooks: BatchHooks;
  readonly logger: LoggerLike;
  /** Set when the logger is ours, so the runner can wait for lines still loading. */
  readonly ownLogger: FlushableLogger | undefined;
  readonly stages: readonly OutcomeStage[];
}

export const DEFAULTS = {
  concurrency: 10,
  fifoMode: 'stop-on-first-failure',
  safetyMarginMs: 1_000,
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, multiplier: 2 },
} as const;

const MAX_DELAY_MS = 15 * 60 * 1_000; // a Lambda invocation never lasts longer

const isFunction = (message: string) => v.function(message);

const loggerSchema = v.custom<LoggerLike>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['debug', 'info', 'warn', 'error'].every(
      (level) => typeof (value as Record<string, unknown>)[level] === 'function',
    ),
  'must have debug, info, warn and error methods (a Powertools Logger does)',
);

const optionsSchema = v.strictObject(
  {
    body: v.optional(v.picklist(['json', 'text'], 'must be "json" or "text"')),
    envelope: v.optional(v.picklist(['none', 'sns'], 'must be "none" or "sns"')),
    schema: v.optional(
      v.custom(
        (value) => typeof value === 'object' && value !== null && '~standard' in value,
        'must be a Standard Schema (zod, valibot, arktype, ...)',
      ),
    ),
    concurrency: v.optional(integerIn(1, 1_000)),
    fifoMode: v.optional(
      v.picklist(
        ['stop-on-first-failure', 'skip-failed-group'],
        'must be "stop-on-first-failure" or "skip-failed-group"',
      ),
    ),
    retry: v.optional(v.unknown()),
    safetyMarginMs: v.optional(integerIn(0, 60_000)),
    throwOnBatchFailure: v.optional(v.boolean('must be true or false')),
    hooks: v.optional(
      v.strictObject(
        {
          onSuccess: v.optional(isFunction('must be a function')),
          onFailure: v.optional(isFunction('must be a function')),
          onRetry: v.optional(isFunction('must be a function')),
        },
        unknownKey,
      ),
    ),
    logger: v.optional(loggerSchema),
    stages: v.optional(
      v.array(
        v.custom(
          (value) =>
            typeof value === 'object' &&
            value !== null &&
            typeof (value as OutcomeStage).name === 'string' &&
            typeof (value as OutcomeStage).run === 'function',
          'must be a stage ({ name, run })',
        ),
        'must be an array of stages',
      ),
    ),
  },
  unknownKey,
);

const delayMs = integerIn(0, MAX_DELAY_MS);

const retrySchema = v.pipe(
  v.strictObject(
    {
      maxAttempts: v.optional(integerIn(1, 100)),
      baseDelayMs: v.optional(delayMs),
      maxDelayMs: v.optional(delayMs),
      multiplier: v.optional(
        v.pipe(v.number('must be a number >= 1'), v.minValue(1, 'must be a number >= 1')),
      ),
      scheduleMs: v.optional(
        v.pipe(
          v.array(delayMs, `must be a list of delays in ms, each an integer from 0 to ${MAX_DELAY_MS}`),
          v.minLength(1, 'must list at least one delay (use retry: false for none)'),
          v.maxLength(99, 'must list at most 99 delays'),
        ),
      ),
      retryOn: v.optional(isFunction('must be a function (error, record) => boolean')),
    },
    unknownKey,
  ),
  v.check(
    (retry) =>
      retry.scheduleMs === undefined ||
      [retry.maxAttempts, retry.baseDelayMs, retry.maxDelayMs, retry.multiplier].every(
        (value) => value === undefined,
      ),
    'scheduleMs cannot be combined with maxAttempts, baseDelayMs, maxDelayMs or multiplier: the schedule fixes them',
  ),
  v.check(
    (retry) =>
      (retry.maxDelayMs ?? DEFAULTS.retry.maxDelayMs) >= (retry.baseDelayMs ?? DEFAULTS.retry.baseDelayMs),
    'maxDelayMs must be >= baseDelayMs',
  ),
);

/**
 * Validates options once, when the handler is created (so a misconfiguration fails the cold start, not a
 * batch), and applies the documented defaults. Throws one InvalidOptionsError listing every problem.
 */
export function resolveBatchOptions(options: BatchOptions = {}): ResolvedBatchOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('sqs-failsafe options', [
      `options must be an object (got ${typeof options})`,
    ]);
  }
  const problems = schemaProblems(optionsSchema, options);
  if (options.retry !== undefined && options.retry !== false) {
    problems.push(...schemaProblems(retrySchema, options.retry, 'retry'));
  }
  if (problems.length > 0) throw new InvalidOptionsError('sqs-failsafe options', problems);

  const ownLogger = options.logger === undefined ? createDefaultLogger() : undefined;
  return {
    decode: createBodyDecoder(options.body ?? 'json', options.envelope ?? 'none', options.schema),
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    fifoMode: options.fifoMode ?? DEFAULTS.fifoMode,
    retry: resolveRetry(options.retry),
    safetyMarginMs: options.safetyMarginMs ?? DEFAULTS.safetyMarginMs,
    throwOnBatchFailure: options.throwOnBatchFailure ?? false,
    hooks: (options.hooks ?? {}) as BatchHooks,
    logger: options.logger ?? (ownLogger as FlushableLogger),
    ownLogger,
    stages: options.stages ?? [],
  };
}

function resolveRetry(retry: RetryOptions | false | undefined): RetryPolicy {
  if (retry === false) return NO_RETRY;
  if (retry?.scheduleMs !== undefined) return scheduledRetryPolicy(retry.scheduleMs, retry.retryOn);
  return exponentialRetryPolicy(
    {
      maxAttempts: retry?.maxAttempts ?? DEFAULTS.retry.maxAttempts,
      baseDelayMs: retry?.baseDelayMs ?? DEFAULTS.retry.baseDelayMs,
      maxDelayMs: retry?.maxDelayMs ?? DEFAULTS.retry.maxDelayMs,
      multiplier: retry?.multiplier ?? DEFAULTS.retry.multiplier,
    },
    retry?.retryOn,
  );
}
