import * as v from 'valibot';
import { integerIn, numberIn, schemaProblems, unknownKey } from '../options/schemaProblems.js';
import { NOTIFICATION_EVENT_TYPES } from './failsafeConfig.js';

/**
 * Schemas shared by code options and the SQS_FAILSAFE_CONFIG environment variable, so both are held to
 * the same rules and the same messages.
 */

/** Visibility timeouts cannot exceed 12 hours. */
export const MAX_VISIBILITY_SECONDS = 43_200;
/** SQS retention tops out at 14 days. */
const MAX_RETENTION_SECONDS = 1_209_600;
/** A Lambda invocation never lasts longer than 15 minutes. */
export const MAX_DELAY_MS = 900_000;

const SQS_QUEUE_URL = /^https?:\/\/[^\s/]+\/\d{12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export const queueUrlSchema = v.pipe(
  v.string('must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)'),
  v.regex(SQS_QUEUE_URL, 'must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)'),
);

export const topicArnSchema = v.pipe(
  v.string('must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)'),
  v.regex(SNS_TOPIC_ARN, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)'),
);

const nonDecreasing = (values: number[]) =>
  values.every((value, index) => index === 0 || value >= (values[index - 1] as number));

/** A schedule of waits: non-empty, each in range, never shorter than the one before (a backoff). */
export function scheduleSchema(unit: string, max: number) {
  const each = `each an integer from 0 to ${max} ${unit}`;
  return v.pipe(
    v.array(integerIn(0, max), `must be a list of delays, ${each}`),
    v.minLength(1, 'must list at least one delay'),
    v.maxLength(999, 'must list at most 999 delays'),
    v.check(nonDecreasing, 'must not decrease: each delay must be >= the one before'),
  );
}

/**
 * Builds a schema on first use. The schemas of optional features are only needed when the feature is
 * configured, and everything built at import time is paid for by every cold start.
 */
function lazySchema<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/** The retry budget (RetryBudgetOptions); `false`, which lifts it, is accepted by configProblems. */
export const retryBudgetSchema = lazySchema(() =>
  v.strictObject(
    {
      ratio: v.optional(numberIn(0, 1)),
      windowSeconds: v.optional(integerIn(1, 3_600)),
      minRetriesPerSecond: v.optional(numberIn(0, 1_000)),
    },
    unknownKey,
  ),
);

export const invocationRetrySchema = v.pipe(
  v.strictObject(
    {
      maxAttempts: v.optional(integerIn(1, 100)),
      baseDelayMs: v.optional(integerIn(0, MAX_DELAY_MS)),
      maxDelayMs: v.optional(integerIn(0, MAX_DELAY_MS)),
      multiplier: v.optional(
        v.pipe(v.number('must be a number >= 1'), v.minValue(1, 'must be a number >= 1')),
      ),
      scheduleMs: v.optional(scheduleSchema('ms', MAX_DELAY_MS)),
      retryOn: v.optional(v.function('must be a function (error, record) => boolean')),
      // Checked on its own (configProblems) so that each of its problems is listed.
      budget: v.optional(v.unknown()),
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
    (retry) => (retry.maxDelayMs ?? 1_000) >= (retry.baseDelayMs ?? 100),
    'maxDelayMs must be >= baseDelayMs',
  ),
);

export const redeliveryBackoffSchema = v.pipe(
  v.strictObject(
    {
      baseSeconds: v.optional(integerIn(0, MAX_VISIBILITY_SECONDS)),
      maxSeconds: v.optional(integerIn(0, MAX_VISIBILITY_SECONDS)),
      multiplier: v.optional(
        v.pipe(v.number('must be a number >= 1'), v.minValue(1, 'must be a number >= 1')),
      ),
      scheduleSeconds: v.optional(scheduleSchema('seconds', MAX_VISIBILITY_SECONDS)),
    },
    unknownKey,
  ),
  v.check(
    (backoff) =>
      backoff.scheduleSeconds === undefined ||
      [backoff.baseSeconds, backoff.maxSeconds, backoff.multiplier].every((value) => value === undefined),
    'scheduleSeconds cannot be combined with baseSeconds, maxSeconds or multiplier',
  ),
  v.check(
    (backoff) => (backoff.maxSeconds ?? 900) >= (backoff.baseSeconds ?? 30),
    'maxSeconds must be >= baseSeconds',
  ),
);

export const deadLetterSchema = v.strictObject(
  {
    queueUrl: queueUrlSchema,
    maxAgeSeconds: v.optional(integerIn(1, MAX_RETENTION_SECONDS)),
    maxReceiveCount: v.optional(integerIn(1, 1_000)),
  },
  unknownKey,
);

export const notificationsSchema = v.strictObject(
  {
    topicArn: topicArnSchema,
    events: v.optional(
      v.array(
        v.picklist(NOTIFICATION_EVENT_TYPES, `must be one of ${NOTIFICATION_EVENT_TYPES.join(', ')}`),
        'must be a list of event types',
      ),
    ),
    includeBody: v.optional(v.boolean('must be true or false')),
    callbackTopicAllowList: v.optional(v.array(topicArnSchema, 'must be a list of SNS topic ARNs')),
  },
  unknownKey,
);

/**
 * The dependency breaker; `false` is accepted by configProblems. The function options only ever come from
 * code (JSON has no functions), so one schema serves both.
 */
export const dependencyBreakerSchema = lazySchema(() =>
  v.strictObject(
    {
      consecutiveFailures: v.optional(integerIn(1, 100)),
      dependencyOf: v.optional(v.function('must be a function (error, record) => string | undefined')),
      dependenciesOf: v.optional(v.function('must be a function (message, record) => string[]')),
    },
    unknownKey,
  ),
);

const DYNAMODB_TABLE =
  /^([A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})$/;
const KEY_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

export const idempotencySchema = lazySchema(() =>
  v.strictObject(
    {
      tableName: v.pipe(
        v.string('must be a DynamoDB table name or ARN'),
        v.regex(DYNAMODB_TABLE, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -) or table ARN'),
      ),
      keyPath: v.optional(
        v.pipe(
          v.string("must be a dot path into the body, such as 'order.id'"),
          v.maxLength(256, 'must be at most 256 characters'),
          v.regex(
            KEY_PATH,
            "must be a dot path into the body, such as 'order.id' (no empty segment, no space)",
          ),
        ),
      ),
      expiresAfterSeconds: v.optional(integerIn(1, 31_536_000)),
      inProgressExpirySeconds: v.optional(integerIn(1, MAX_VISIBILITY_SECONDS)),
      keyPrefix: v.optional(
        v.pipe(
          v.string('must be a string of 1 to 256 characters'),
          v.minLength(1, 'must be a string of 1 to 256 characters'),
          v.maxLength(256, 'must be a string of 1 to 256 characters'),
        ),
      ),
    },
    unknownKey,
  ),
);

/** The serializable configuration (SQS_FAILSAFE_CONFIG). */
export const failsafeConfigSchema = v.strictObject(
  {
    version: v.optional(v.literal(1, 'must be 1 (the only configuration version)')),
    // Checked on its own (configProblems) so that its problems are listed one by one, not as a union miss.
    retry: v.optional(v.unknown()),
    safetyMarginMs: v.optional(integerIn(0, 60_000)),
    concurrency: v.optional(integerIn(1, 1_000)),
    fifoMode: v.optional(
      v.picklist(
        ['stop-on-first-failure', 'skip-failed-group'],
        'must be "stop-on-first-failure" or "skip-failed-group"',
      ),
    ),
    redeliveryBackoff: v.optional(redeliveryBackoffSchema),
    deadLetter: v.optional(deadLetterSchema),
    notifications: v.optional(notificationsSchema),
    // Checked on their own (configProblems) so that each of their problems is listed.
    dependencyBreaker: v.optional(v.unknown()),
    idempotency: v.optional(v.unknown()),
  },
  unknownKey,
);

/** Every problem with a configuration object, the retry key included. */
export function configProblems(input: unknown, schema: v.GenericSchema = failsafeConfigSchema): string[] {
  const problems = schemaProblems(schema, input);
  const retry = (input as { retry?: unknown } | null)?.retry;
  if (retry !== undefined && retry !== false) {
    problems.push(...schemaProblems(invocationRetrySchema, retry, 'retry'));
    const budget = (retry as { budget?: unknown } | null)?.budget;
    if (typeof budget === 'object' && budget !== null)
      problems.push(...schemaProblems(retryBudgetSchema(), budget, 'retry.budget'));
    else if (budget !== undefined && budget !== false)
      problems.push(
        `retry.budget: must be false or an object { ratio, windowSeconds, minRetriesPerSecond } (got ${JSON.stringify(budget)})`,
      );
  }
  problems.push(
    ...objectOrFalseProblems(
      input,
      'dependencyBreaker',
      dependencyBreakerSchema,
      '{ consecutiveFailures, ... }',
    ),
    ...objectOrFalseProblems(input, 'idempotency', idempotencySchema, '{ tableName, keyPath, ... }'),
  );
  return problems;
}

/** An optional feature given as `false` (off) or an object, each of whose problems is listed. */
function objectOrFalseProblems(
  input: unknown,
  key: string,
  schema: () => v.GenericSchema,
  shape: string,
): string[] {
  const value = (input as Record<string, unknown> | null)?.[key];
  if (value === undefined || value === false) return [];
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return schemaProblems(schema(), value, key);
  return [`${key}: must be false or an object ${shape} (got ${JSON.stringify(value)})`];
}
