import type { FifoMode, RetryBudgetOptions } from '../types.js';

/**
 * The failure-handling configuration a deployed consumer runs with, as plain JSON. The CDK construct
 * writes it into one environment variable and the runtime reads it back with the same schema
 * (readFailsafeConfig), so infrastructure and runtime cannot disagree about the retry schedule, the DLQ or
 * the topic. Options passed in code take precedence over it.
 */
export const CONFIG_ENV_VAR = 'SQS_FAILSAFE_CONFIG';

/** Message attribute a producer sets to ask for outcome events on its own topic (allow-listed only). */
export const CALLBACK_TOPIC_ATTRIBUTE = 'failsafe.callbackTopicArn';

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

/** Retries inside one invocation (milliseconds), limited by a per-container retry budget. */
export type InvocationRetryConfig =
  | false
  | {
      readonly maxAttempts?: number;
      readonly baseDelayMs?: number;
      readonly maxDelayMs?: number;
      readonly multiplier?: number;
      readonly budget?: RetryBudgetOptions | false;
    }
  | { readonly scheduleMs: readonly number[]; readonly budget?: RetryBudgetOptions | false };

/**
 * Delay before SQS redelivers a failed message, set through its visibility timeout and chosen by its
 * ApproximateReceiveCount k: the k-th entry of the schedule (t_1..t_n; the last one repeats beyond n), or
 * full jitter over [0, min(maxSeconds, baseSeconds * multiplier^(k-1))].
 */
export type RedeliveryBackoffConfig =
  | { readonly baseSeconds?: number; readonly maxSeconds?: number; readonly multiplier?: number }
  | { readonly scheduleSeconds: readonly number[] };

export interface DeadLetterConfig {
  /** The DLQ the router sends to (the same queue as the source's redrive policy target). */
  readonly queueUrl: string;
  /** T_d: a message sent longer ago than this (SentTimestamp) goes to the DLQ instead of being retried. */
  readonly maxAgeSeconds?: number;
  /**
   * R: a message that fails on this receive goes to the DLQ with its failure metadata, instead of waiting
   * for SQS's redrive policy to move it without any. A message received more often than R was never
   * completed by earlier invocations (timeouts, crashes) and goes to the DLQ without being processed, which
   * is why the queue's own maxReceiveCount should be R + 1.
   */
  readonly maxReceiveCount?: number;
}

export interface NotificationsConfig {
  readonly topicArn: string;
  /** @default ['message.dead-lettered', 'message.failed'] */
  readonly events?: readonly NotificationEventType[];
  /** Include message bodies in events (otherwise size and SHA-256 only). @default false */
  readonly includeBody?: boolean;
  /** Topics a producer may name in the CALLBACK_TOPIC_ATTRIBUTE; any other is ignored with a warning. */
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

/** The serializable part of the in-invocation dependency breaker (see DependencyBreakerOptions). */
export interface DependencyBreakerConfig {
  /** Transient failures in a row against one dependency, within a batch, that open it. 1..100. @default 3 */
  readonly consecutiveFailures?: number;
}

export interface FailsafeConfig {
  readonly version?: 1;
  readonly retry?: InvocationRetryConfig;
  readonly safetyMarginMs?: number;
  readonly concurrency?: number;
  readonly fifoMode?: FifoMode;
  readonly redeliveryBackoff?: RedeliveryBackoffConfig;
  readonly deadLetter?: DeadLetterConfig;
  readonly notifications?: NotificationsConfig;
  readonly dependencyBreaker?: DependencyBreakerConfig | false;
  readonly idempotency?: IdempotencyConfig | false;
}

/** The environment entry the construct sets on the consumer function. */
export function configEnvironment(config: FailsafeConfig): Record<string, string> {
  return { [CONFIG_ENV_VAR]: JSON.stringify({ version: 1, ...config }) };
}
