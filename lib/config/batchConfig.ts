import * as v from 'valibot';
import {
  MAX_FUNCTION_TIMEOUT_SECONDS,
  MAX_REDRIVE_RECEIVE_COUNT,
  MAX_RETENTION_SECONDS,
  MAX_VISIBILITY_SECONDS,
} from '../aws/serviceLimits.js';
import { InvalidOptionsError } from '../errors.js';
import { BATCH_CONFIG_ACCEPTS } from './acceptance/batchConfigAcceptance.js';
import { envVarSubject, readJsonEnvVar } from './readJsonEnvVar.js';
import {
  backoffDelaysInOrder,
  backoffScheduleStandsAlone,
  retryDelaysInOrder,
  retryScheduleStandsAlone,
} from './schemaPredicates.js';
import { integerIn, numberIn, schemaProblems, unknownKey } from './schemaProblems.js';
import {
  lazySchema,
  queueUrlSchema,
  scheduleSchema,
  topicArnSchema,
  versionSchema,
} from './sharedSchemas.js';

/**
 * The batch configuration: how a consumer handles failures, as plain JSON. This module owns its type, its
 * schema, its defaults and its problems. The CDK construct writes it into one environment variable
 * (batchConfigEnvironment) and the runtime reads it back with the same schema (readBatchConfig), so the
 * infrastructure and the runtime cannot disagree about the retry schedule, the DLQ or the topic. The code
 * options (BatchOptions) extend it with what JSON cannot hold (functions, a schema, a logger), and take
 * precedence over it key by key.
 *
 * Adding a setting: its type, schema entry and default here, then the construct's props and the docs.
 */
export const BATCH_CONFIG_ENV_VAR = 'SQS_FAILSAFE_CONFIG';

/** The most attempts a message can be given (SQS's own ceiling on maxReceiveCount). */
export const MAX_ATTEMPTS = MAX_REDRIVE_RECEIVE_COUNT;

/**
 * FIFO failure modes (docs/aws-semantics.md#fifo-order-after-a-failure):
 * - `stop-on-first-failure`: process in order, stop at the first failure, report it and every later message.
 * - `skip-failed-group`: process groups independently; report the failed message and the rest of its group.
 */
export type FifoMode = 'stop-on-first-failure' | 'skip-failed-group';

/**
 * How a record's body arrives: `none`, as it was sent (or published with raw message delivery); `sns`, in the
 * notification envelope SNS wraps it in without raw delivery, whose `Message` is read
 * (docs/aws-semantics.md#sns-envelope). It is part of the configuration because the construct knows it from the
 * queue's SNS subscriptions and writes it, so the runtime and the subscriptions cannot disagree.
 */
export type Envelope = 'none' | 'sns';

export type NotificationEventType =
  | 'message.succeeded'
  | 'message.failed'
  | 'message.retry-scheduled'
  | 'message.dead-lettered'
  | 'batch.completed';

export const NOTIFICATION_EVENT_TYPES: readonly NotificationEventType[] = [
  'message.succeeded',
  'message.failed',
  'message.retry-scheduled',
  'message.dead-lettered',
  'batch.completed',
];

/**
 * Limits retries inside invocations to a share of first attempts over a sliding window, per container,
 * so that an outage cannot multiply the load on a failing dependency (a retry storm). A retry the budget
 * refuses is left to SQS: the record reports failed and comes back after its redelivery delay.
 *
 * @example
 * createBatchHandler(handler, { retry: { maxAttempts: 3, budget: { ratio: 0.1 } } });
 */
export interface RetryBudgetConfig {
  /** Retries allowed per first attempt in the window, 0..1. @default 0.2 */
  readonly ratio?: number;
  /** Length of the sliding window, in seconds, 1..3600. @default 10 */
  readonly windowSeconds?: number;
  /** Retries always allowed, per second of window, whatever the ratio says, 0..1000. @default 1 */
  readonly minRetriesPerSecond?: number;
}

/** Retries inside one invocation: exponential backoff with full jitter. */
export interface ExponentialRetryConfig {
  /** Handler calls per record, the first included, 1..100. @default 3 */
  readonly maxAttempts?: number;
  /** Ceiling of the first retry delay, ms. @default 100 */
  readonly baseDelayMs?: number;
  /** Cap of any delay, ms; must be >= baseDelayMs. @default 1000 */
  readonly maxDelayMs?: number;
  /** Growth of the delay ceiling per retry; >= 1. @default 2 */
  readonly multiplier?: number;
  readonly scheduleMs?: never;
  /** `false` lifts the limit. @default { ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 1 } */
  readonly budget?: RetryBudgetConfig | false;
}

/** Retries inside one invocation on an explicit schedule t_1..t_n: n retries, waiting t_i ms before the i-th. */
export interface ScheduledRetryConfig {
  readonly scheduleMs: readonly number[];
  readonly maxAttempts?: never;
  readonly baseDelayMs?: never;
  readonly maxDelayMs?: never;
  readonly multiplier?: never;
  /** `false` lifts the limit. @default { ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 1 } */
  readonly budget?: RetryBudgetConfig | false;
}

/** Retries inside one invocation (milliseconds), limited by a per-container retry budget. */
export type RetryConfig = ExponentialRetryConfig | ScheduledRetryConfig;

/**
 * Delay before a failed message comes back, chosen by its attempt number k (the product's own count of
 * failed attempts, not SQS's receive count): the k-th entry of the schedule (t_1..t_n; the last one repeats
 * beyond n), or full jitter over [0, min(maxSeconds, baseSeconds * multiplier^(k-1))].
 */
export type RedeliveryBackoffConfig =
  | { readonly baseSeconds?: number; readonly maxSeconds?: number; readonly multiplier?: number }
  | { readonly scheduleSeconds: readonly number[] };

export interface DeadLetterConfig {
  /** The DLQ the router sends to (the same queue as the source's redrive policy target). */
  readonly queueUrl: string;
  /**
   * T_d: a message first sent longer ago than this goes to the DLQ instead of being processed. The one rule
   * that dead-letters a message that never failed. Counted from the first send, across redelivery copies.
   */
  readonly maxAgeSeconds?: number;
  /**
   * A: the attempt on which a still-failing message goes to the DLQ with its failure metadata and attempt
   * history. An attempt is a delivery in which the handler ran and the record ended failed; receives in
   * which it did not run (FIFO order, time budget, dependency breaker, a duplicate in progress, a crash)
   * spend none. The count is kept in a redelivery copy's attributes or in the attempt ledger (`redelivery`,
   * `attemptLedger`). 1..1000. @default none: nothing is dead-lettered by count
   */
  readonly maxAttempts?: number;
}

/**
 * How a failed record of a standard queue comes back (FIFO queues always use `visibility`, since a copy
 * would leave its group's order):
 * - `copy`: sent again to the same queue as a fresh message (delay up to 900 s, chained for longer ones)
 *   carrying its attempt history in one message attribute; the original is deleted only once the copy is
 *   confirmed. The receive count restarts, so the queue's maxReceiveCount only ever counts crashes.
 * - `visibility`: the message stays and its visibility timeout is set to the delay; its attempts are kept
 *   in the attempt ledger (DynamoDB). Records released without an attempt are still sent again as copies.
 */
export type RedeliveryMode = 'copy' | 'visibility';

/**
 * The attempt ledger: a DynamoDB table (partition key `id` String, TTL attribute `expiration`) holding
 * the attempt history of messages that stay in their queue between deliveries (FIFO queues, `visibility`
 * redelivery, a copy that could not be sent). Written only when a record fails or is not attempted, read
 * only for records received more than once. The construct creates it.
 *
 * @example
 * createBatchHandler(handler, { attemptLedger: { tableName: 'orders-attempts' } });
 */
export interface AttemptLedgerConfig {
  /** The table's name or ARN. */
  readonly tableName: string;
  /**
   * How long an entry outlives its last write, 60..31,536,000 s; at least the longest a message can wait
   * between two deliveries. @default 1209600 (14 days, SQS's longest retention)
   */
  readonly expiresAfterSeconds?: number;
}

export interface NotificationsConfig {
  readonly topicArn: string;
  /** @default ['message.dead-lettered', 'message.failed'] */
  readonly events?: readonly NotificationEventType[];
  /** Include message bodies in events (otherwise size and SHA-256 only). @default false */
  readonly includeBody?: boolean;
  /**
   * Topics a producer may name in the `failsafe.callbackTopicArn` message attribute; any other is ignored
   * with a warning.
   */
  readonly callbackTopicAllowList?: readonly string[];
}

/**
 * Record-level idempotency (Powertools Idempotency, DynamoDB persistence): a record's effect happens once
 * per key, even when SQS delivers it twice or a redrive repeats it.
 *
 * @example
 * createBatchHandler(chargeOrder, { idempotency: { tableName: 'orders-idempotency', keyPath: 'order.id' } });
 */
export interface IdempotencyConfig {
  /**
   * The DynamoDB table (name or ARN): partition key `id` (String), TTL attribute `expiration`, the layout
   * Powertools Idempotency uses.
   */
  readonly tableName: string;
  /**
   * Dot path into the decoded body whose value (a string or number) is the key, for example `order.id`;
   * a number segment indexes a list. A record without a usable value there fails permanently
   * (IdempotencyKeyError). @default the SQS message id (which a redrive changes: see docs)
   */
  readonly keyPath?: string;
  /** How long a completed key suppresses duplicates, 1..31,536,000 s. @default 86400 (a day) */
  readonly expiresAfterSeconds?: number;
  /**
   * Cap on how long an in-progress key blocks duplicates (the lock left by an attempt that crashed), in
   * seconds, 1..43,200. @default the invocation's remaining time; 900 s when there is no Lambda clock
   */
  readonly inProgressExpirySeconds?: number;
  /** Prefix of every stored key. @default the function name (AWS_LAMBDA_FUNCTION_NAME), as Powertools does */
  readonly keyPrefix?: string;
}

/**
 * The dependency breaker, per invocation: after `consecutiveFailures` transient failures in a row against
 * the same dependency within a batch, records that would call it are not attempted (nor retried) for the
 * rest of the batch. The code options add how a failure and a record name their dependencies.
 */
export interface DependencyBreakerConfig {
  /** Transient failures in a row against one dependency, within a batch, that open it. 1..100. @default 3 */
  readonly consecutiveFailures?: number;
}

export interface BatchConfig {
  readonly version?: 1;
  /**
   * Records processed at once on a standard queue, and groups at once in FIFO `skip-failed-group` mode.
   * The default runs a default-sized batch (10) fully in parallel while keeping a large batch from opening
   * thousands of calls to a downstream at once. 1..1000. @default 10
   */
  readonly concurrency?: number;
  /** @default 'stop-on-first-failure' */
  readonly fifoMode?: FifoMode;
  /**
   * `sns`: each body is an SNS notification envelope (SNS -> SQS without raw message delivery) and its
   * `Message` is decoded. The construct sets it from its topic subscriptions. @default 'none'
   */
  readonly envelope?: Envelope;
  /** `false` disables retries inside the invocation. @default exponential, 3 attempts, 100..1000 ms */
  readonly retry?: RetryConfig | false;
  /**
   * Time kept free before the Lambda timeout: no attempt or backoff starts that would end inside it, and
   * the handler returns before it. Covers the stages and the response. 0..60000. @default 1000
   */
  readonly safetyMarginMs?: number;
  /**
   * Send records to the DLQ yourself, with failure metadata and attempt history: permanent errors,
   * messages first sent more than `maxAgeSeconds` ago (not processed at all) and messages failing their
   * `maxAttempts`-th attempt. @default off
   */
  readonly deadLetter?: DeadLetterConfig;
  /** Delay the redelivery of retryable failures, by attempt number. @default off */
  readonly redeliveryBackoff?: RedeliveryBackoffConfig;
  /**
   * How failed records of a standard queue come back when attempts are counted (`deadLetter.maxAttempts`):
   * as fresh copies, or in place through the visibility timeout with the attempt ledger. FIFO queues always
   * stay in place. @default 'copy'
   */
  readonly redelivery?: RedeliveryMode;
  /**
   * Where attempts are kept for messages that stay in their queue: required with `deadLetter.maxAttempts`
   * on a FIFO queue or with `redelivery: 'visibility'`; with `copy` it keeps the count of a record whose
   * copy could not be sent. @default off
   */
  readonly attemptLedger?: AttemptLedgerConfig;
  /** Publish outcome events to an SNS topic. @default off */
  readonly notifications?: NotificationsConfig;
  /** Stop calling a dependency for the rest of a batch once it failed N times in a row. @default off */
  readonly dependencyBreaker?: DependencyBreakerConfig | false;
  /**
   * Run each record's effect at most once per key (Powertools Idempotency on DynamoDB), even when SQS
   * delivers it twice or a redrive repeats it. @default off
   */
  readonly idempotency?: IdempotencyConfig | false;
}

export { BATCH_CONFIG_DEFAULTS } from './batchConfigDefaults.js';

/** A retry delay never needs to outlast the invocation it waits in. */
const MAX_DELAY_MS = MAX_FUNCTION_TIMEOUT_SECONDS * 1_000;

/**
 * Schema entries that code options add to parts of the configuration: what JSON cannot hold (functions, a
 * schema, a logger). The configuration itself knows nothing of them.
 */
export interface BatchConfigExtension {
  /** Keys beside the configuration's own (the configuration's `version` is not one of them). */
  readonly top: v.ObjectEntries;
  readonly retry: v.ObjectEntries;
  readonly dependencyBreaker: v.ObjectEntries;
}

/**
 * The parts of a configuration that are checked, each by a schema of its own: `retry`, its `budget`,
 * `dependencyBreaker` and `idempotency` are checked apart from the whole so that each of their problems is
 * listed on its own line, instead of as one miss of a union.
 */
export interface BatchConfigParts<T> {
  readonly top: T;
  readonly retry: T;
  readonly retryBudget: T;
  readonly dependencyBreaker: T;
  readonly idempotency: T;
}

/**
 * The configuration's schemas (with `extension`, the code options'), built on each call: the one source of
 * every rule and message. A cold start with a valid configuration never builds them; it runs their compiled
 * form (acceptance/batchConfigAcceptance.ts) instead.
 */
export function batchConfigSchemas(extension?: BatchConfigExtension): BatchConfigParts<v.GenericSchema> {
  const atLeastOne = () =>
    v.optional(v.pipe(v.number('must be a number >= 1'), v.minValue(1, 'must be a number >= 1')));
  const redeliveryBackoff = v.pipe(
    v.strictObject(
      {
        baseSeconds: v.optional(integerIn(0, MAX_VISIBILITY_SECONDS)),
        maxSeconds: v.optional(integerIn(0, MAX_VISIBILITY_SECONDS)),
        multiplier: atLeastOne(),
        scheduleSeconds: v.optional(scheduleSchema('seconds', MAX_VISIBILITY_SECONDS)),
      },
      unknownKey,
    ),
    v.check(
      backoffScheduleStandsAlone,
      'scheduleSeconds cannot be combined with baseSeconds, maxSeconds or multiplier',
    ),
    v.check(backoffDelaysInOrder, 'maxSeconds must be >= baseSeconds'),
  );
  const deadLetter = v.strictObject(
    {
      queueUrl: queueUrlSchema,
      maxAgeSeconds: v.optional(integerIn(1, MAX_RETENTION_SECONDS)),
      maxAttempts: v.optional(integerIn(1, MAX_ATTEMPTS)),
    },
    unknownKey,
  );
  const notifications = v.strictObject(
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
  const attemptLedger = v.strictObject(
    {
      tableName: dynamoDbTableSchema(),
      expiresAfterSeconds: v.optional(integerIn(60, 31_536_000)),
    },
    unknownKey,
  );
  const entries = {
    concurrency: v.optional(integerIn(1, 1_000)),
    envelope: v.optional(v.picklist(['none', 'sns'], 'must be "none" or "sns"')),
    fifoMode: v.optional(
      v.picklist(
        ['stop-on-first-failure', 'skip-failed-group'],
        'must be "stop-on-first-failure" or "skip-failed-group"',
      ),
    ),
    // Checked on its own (the `retry` part).
    retry: v.optional(v.unknown()),
    safetyMarginMs: v.optional(integerIn(0, 60_000)),
    deadLetter: v.optional(deadLetter),
    redeliveryBackoff: v.optional(redeliveryBackoff),
    redelivery: v.optional(v.picklist(['copy', 'visibility'], 'must be "copy" or "visibility"')),
    attemptLedger: v.optional(attemptLedger),
    notifications: v.optional(notifications),
    // Checked on their own (their parts).
    dependencyBreaker: v.optional(v.unknown()),
    idempotency: v.optional(v.unknown()),
  };
  return {
    top: v.strictObject(
      extension === undefined ? { version: versionSchema, ...entries } : { ...entries, ...extension.top },
      unknownKey,
    ),
    retry: v.pipe(
      v.strictObject(
        {
          maxAttempts: v.optional(integerIn(1, 100)),
          baseDelayMs: v.optional(integerIn(0, MAX_DELAY_MS)),
          maxDelayMs: v.optional(integerIn(0, MAX_DELAY_MS)),
          multiplier: atLeastOne(),
          scheduleMs: v.optional(scheduleSchema('ms', MAX_DELAY_MS)),
          // Checked on its own (the `retryBudget` part).
          budget: v.optional(v.unknown()),
          ...extension?.retry,
        },
        unknownKey,
      ),
      v.check(
        retryScheduleStandsAlone,
        'scheduleMs cannot be combined with maxAttempts, baseDelayMs, maxDelayMs or multiplier: the schedule fixes them',
      ),
      v.check(retryDelaysInOrder, 'maxDelayMs must be >= baseDelayMs'),
    ),
    retryBudget: v.strictObject(
      {
        ratio: v.optional(numberIn(0, 1)),
        windowSeconds: v.optional(integerIn(1, 3_600)),
        minRetriesPerSecond: v.optional(numberIn(0, 1_000)),
      },
      unknownKey,
    ),
    dependencyBreaker: v.strictObject(
      { consecutiveFailures: v.optional(integerIn(1, 100)), ...extension?.dependencyBreaker },
      unknownKey,
    ),
    idempotency: v.strictObject(
      {
        tableName: dynamoDbTableSchema(),
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
  };
}

const DYNAMODB_TABLE =
  /^([A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})$/;
const KEY_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

const dynamoDbTableSchema = () =>
  v.pipe(
    v.string('must be a DynamoDB table name or ARN'),
    v.regex(DYNAMODB_TABLE, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -) or table ARN'),
  );

/**
 * A function listing every problem with a configuration, one readable line each naming the key.
 * `accepts` is the schemas' compiled form: what it accepts has no problem, so only a configuration it
 * refuses builds and runs the schemas (docs/benchmarks.md, "Configuration checked by compiled code").
 */
export function batchConfigCheck(
  schemas: () => BatchConfigParts<v.GenericSchema>,
  accepts: BatchConfigParts<(input: unknown) => boolean>,
): (input: unknown) => string[] {
  const built = lazySchema(schemas);
  return (input) => {
    // An array is an object to the schema, and a number or string would only read "is required".
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      return [
        `options: must be an object such as { "retry": { "maxAttempts": 3 } } (got ${JSON.stringify(input)})`,
      ];
    if (acceptedWhole(input as Record<string, unknown>, accepts)) return [];
    const parts = built();
    const problems = schemaProblems(parts.top, input);
    problems.push(
      ...retryProblems((input as { retry?: unknown }).retry, parts),
      ...objectOrFalseProblems(
        input,
        'dependencyBreaker',
        parts.dependencyBreaker,
        '{ consecutiveFailures, ... }',
      ),
      ...objectOrFalseProblems(input, 'idempotency', parts.idempotency, '{ tableName, keyPath, ... }'),
    );
    if (problems.length === 0) problems.push(...attemptProblems(input as BatchConfig));
    return problems;
  };
}

/** The same decisions as the problem listing below, taken by the compiled checks. */
function acceptedWhole(
  input: Record<string, unknown>,
  accepts: BatchConfigParts<(input: unknown) => boolean>,
): boolean {
  if (!accepts.top(input)) return false;
  const { retry, dependencyBreaker, idempotency } = input;
  if (retry !== undefined && retry !== false) {
    if (!accepts.retry(retry)) return false;
    const budget = (retry as { budget?: unknown }).budget;
    if (budget !== undefined && budget !== false && !(isPlainObject(budget) && accepts.retryBudget(budget)))
      return false;
  }
  const objectOrFalse = (value: unknown, accept: (input: unknown) => boolean) =>
    value === undefined || value === false || (isPlainObject(value) && accept(value));
  return (
    objectOrFalse(dependencyBreaker, accepts.dependencyBreaker) &&
    objectOrFalse(idempotency, accepts.idempotency) &&
    attemptProblems(input as BatchConfig).length === 0
  );
}

const isPlainObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Attempts counted on messages that stay in their queue need somewhere to live. A FIFO source is known by
 * its DLQ, which SQS requires to be FIFO too (docs/aws-semantics.md#redrive-policy).
 */
export function attemptProblems(config: BatchConfig): string[] {
  if (config.deadLetter?.maxAttempts === undefined || config.attemptLedger !== undefined) return [];
  if (config.deadLetter.queueUrl.endsWith('.fifo'))
    return [
      'attemptLedger: required with deadLetter.maxAttempts on a FIFO queue, where a failed message must stay ' +
        'in its group: give { tableName } of a table with partition key "id" (String), or leave maxAttempts out',
    ];
  if (config.redelivery === 'visibility')
    return [
      "attemptLedger: required with redelivery 'visibility' and deadLetter.maxAttempts, since the message " +
        'stays in the queue: give { tableName } of a table with partition key "id" (String), or use redelivery \'copy\'',
    ];
  return [];
}

/** Every problem with a batch configuration (empty when it is valid). */
export const batchConfigProblems: (input: unknown) => string[] = batchConfigCheck(
  () => batchConfigSchemas(),
  BATCH_CONFIG_ACCEPTS,
);

function retryProblems(retry: unknown, parts: BatchConfigParts<v.GenericSchema>): string[] {
  if (retry === undefined || retry === false) return [];
  const problems = schemaProblems(parts.retry, retry, 'retry');
  const budget = (retry as { budget?: unknown } | null)?.budget;
  if (typeof budget === 'object' && budget !== null)
    problems.push(...schemaProblems(parts.retryBudget, budget, 'retry.budget'));
  else if (budget !== undefined && budget !== false)
    problems.push(
      `retry.budget: must be false or an object { ratio, windowSeconds, minRetriesPerSecond } (got ${JSON.stringify(budget)})`,
    );
  return problems;
}

/** An optional feature given as `false` (off) or an object, each of whose problems is listed. */
function objectOrFalseProblems(
  input: unknown,
  key: string,
  schema: v.GenericSchema,
  shape: string,
): string[] {
  const value = (input as Record<string, unknown> | null)?.[key];
  if (value === undefined || value === false) return [];
  if (isPlainObject(value)) return schemaProblems(schema, value, key);
  return [`${key}: must be false or an object ${shape} (got ${JSON.stringify(value)})`];
}

/**
 * The environment entry the construct sets on the consumer function.
 *
 * @example
 * new lambda.Function(this, 'Consumer', { environment: batchConfigEnvironment({ retry: { maxAttempts: 2 } }) });
 */
export function batchConfigEnvironment(config: BatchConfig): Record<string, string> {
  return { [BATCH_CONFIG_ENV_VAR]: JSON.stringify({ version: 1, ...config }) };
}

/**
 * Reads the configuration the construct put in the environment. Absent: an empty configuration. Present
 * but invalid: one InvalidOptionsError listing every problem, thrown at cold start so a bad deployment
 * fails loudly before it touches a message.
 *
 * @example
 * const config = readBatchConfig(); // { version: 1, retry: { maxAttempts: 2 }, ... }
 */
export function readBatchConfig(env: NodeJS.ProcessEnv = process.env): BatchConfig {
  const parsed = readJsonEnvVar(env, BATCH_CONFIG_ENV_VAR);
  if (parsed === undefined) return {};
  const problems = batchConfigProblems(parsed);
  if (problems.length > 0) throw new InvalidOptionsError(envVarSubject(BATCH_CONFIG_ENV_VAR), problems);
  return parsed as BatchConfig;
}
