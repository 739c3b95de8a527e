import type { FifoMode } from '../types.js';

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

/** Retries inside one invocation (milliseconds). */
export type InvocationRetryConfig =
  | false
  | {
      readonly maxAttempts?: number;
      readonly baseDelayMs?: number;
      readonly maxDelayMs?: number;
      readonly multiplier?: number;
    }
  | { readonly scheduleMs: readonly number[] };

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

export interface FailsafeConfig {
  readonly version?: 1;
  readonly retry?: InvocationRetryConfig;
  readonly safetyMarginMs?: number;
  readonly concurrency?: number;
  readonly fifoMode?: FifoMode;
  readonly redeliveryBackoff?: RedeliveryBackoffConfig;
  readonly deadLetter?: DeadLetterConfig;
  readonly notifications?: NotificationsConfig;
}

/** The environment entry the construct sets on the consumer function. */
export function configEnvironment(config: FailsafeConfig): Record<string, string> {
  return { [CONFIG_ENV_VAR]: JSON.stringify({ version: 1, ...config }) };
}
