import * as v from 'valibot';
import { integerIn, schemaProblems, unknownKey } from '../options/schemaProblems.js';
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
  },
  unknownKey,
);

/** Every problem with a configuration object, the retry key included. */
export function configProblems(input: unknown, schema: v.GenericSchema = failsafeConfigSchema): string[] {
  const problems = schemaProblems(schema, input);
  const retry = (input as { retry?: unknown } | null)?.retry;
  if (retry !== undefined && retry !== false)
    problems.push(...schemaProblems(invocationRetrySchema, retry, 'retry'));
  return problems;
}
