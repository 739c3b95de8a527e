import { MAX_REDRIVE_RECEIVE_COUNT } from '../aws/serviceLimits.js';

/**
 * The batch configuration: how a consumer handles failures, as plain JSON. This module owns its type; its
 * defaults, schemas and checks have modules of their own beside it (batchConfigDefaults, batchConfigSchemas,
 * batchConfigCheck). The CDK construct writes it into one environment variable
 * (batchConfigEnvironment) and the runtime reads it back with the same schema (readBatchConfig), so the
 * infrastructure and the runtime cannot disagree about the retry schedule, the DLQ or the topic. The code
 * options (BatchOptions) extend it with what JSON cannot hold (functions, a schema, a logger), and take
 * precedence over it key by key.
 *
 * Adding a setting: its type here, its schema entry in batchConfigSchemas.ts and its default in
 * batchConfigDefaults.ts, then `npm run codegen`, the construct's props and the docs.
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
 * Attempts counted on messages that stay in their queue need somewhere to live: the attempt ledger. A FIFO
 * source is known by its DLQ, which SQS requires to be FIFO too (docs/aws-semantics.md#redrive-policy). The
 * problem, worded, is in configProblemList.ts (attemptProblems), read only when this is false.
 */
export function attemptsHaveAPlace(config: BatchConfig): boolean {
  return (
    config.deadLetter?.maxAttempts === undefined ||
    config.attemptLedger !== undefined ||
    (!config.deadLetter.queueUrl.endsWith('.fifo') && config.redelivery !== 'visibility')
  );
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
