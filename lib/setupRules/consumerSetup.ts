import type { RedeliveryMode } from '../config/batchConfig.js';

/**
 * One SQS consumer's setup as plain data: the work queue, its DLQ, the event source mapping, the consumer
 * function, the parts of sqs-failsafe around them, and the alarms. This is what the setup rules judge. The
 * construct describes what it is about to deploy; `sqs-failsafe doctor` describes what an account runs.
 *
 * Values are in AWS's own units (seconds, counts, ARNs). What is not known (a token at synth time, an
 * attribute a live read could not get) is left out, and a rule that needs it says nothing rather than guess.
 */
export interface ConsumerSetup {
  /** The region the consumer runs in, when it is known. */
  readonly region?: string | undefined;
  readonly queue: QueueSetup;
  /** The target of the work queue's redrive policy; undefined when the queue has none. */
  readonly deadLetterQueue?: QueueSetup | undefined;
  /**
   * The queue the runtime itself dead-letters to (`deadLetter.queueUrl`), by name; undefined when it sends
   * none, or when it is the redrive policy's by construction (the construct writes it from its DLQ).
   */
  readonly runtimeDeadLetterQueueName?: string | undefined;
  /** The SQS event source mapping of the consumer; undefined when nothing consumes the queue. */
  readonly mapping?: MappingSetup | undefined;
  readonly consumer: FunctionSetup;
  /**
   * How the runtime counts attempts (`deadLetter.maxAttempts`, `redelivery`); undefined when it does not
   * dead-letter by count.
   */
  readonly attempts?: AttemptsSetup | undefined;
  /** The longest a message can be retried before it is dead-lettered (the construct's retry horizon). */
  readonly retryHorizon?: RetryHorizonSetup | undefined;
  /** Topics a producer may name for callbacks (`notifications.callbackTopicAllowList`). */
  readonly callbackTopicArns?: readonly string[] | undefined;
  /** Record-level idempotency: how long a completed key suppresses duplicates. */
  readonly idempotency?: { readonly expiresAfterSeconds: number } | undefined;
  /** The attempt ledger: how long an entry lives (its DynamoDB TTL). */
  readonly attemptLedger?: { readonly expiresAfterSeconds: number } | undefined;
  /** The consumer circuit breaker, when on. */
  readonly consumerBreaker?: ConsumerBreakerSetup | undefined;
  /** The redrive function, when one is wired to the DLQ alarm. */
  readonly redrive?: RedriveSetup | undefined;
  /** The alarms around the consumer; undefined when they are not described (the rules on alarms say nothing). */
  readonly alarms?: readonly AlarmSetup[] | undefined;
  /**
   * sqs-failsafe configurations a deployed function holds that its runtime would refuse at cold start. The
   * construct validates what it writes before synthesis, so only `doctor` fills this in.
   */
  readonly configurationProblems?: readonly ConfigurationProblems[] | undefined;
}

/** One environment variable's configuration that its function would refuse, with every problem in it. */
export interface ConfigurationProblems {
  readonly functionName: string;
  /** The variable, e.g. SQS_FAILSAFE_CONFIG. */
  readonly variable: string;
  readonly problems: readonly string[];
}

export interface AttemptsSetup {
  /** A: the attempt on which the runtime dead-letters a still-failing message. */
  readonly maxAttempts: number;
  /** How a standard queue's failed attempts come back (FIFO queues always stay in place). */
  readonly redelivery: RedeliveryMode;
}

export interface QueueSetup {
  readonly name: string;
  readonly fifo: boolean;
  readonly retentionSeconds: number;
  readonly visibilityTimeoutSeconds?: number | undefined;
  /** Its redrive policy's maxReceiveCount (M); undefined when it has no redrive policy. */
  readonly maxReceiveCount?: number | undefined;
}

export interface MappingSetup {
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** `ScalingConfig.MaximumConcurrency`; undefined when unset. */
  readonly maxConcurrency?: number | undefined;
  /** `ProvisionedPollerConfig`; undefined in the default (on-demand) mode. */
  readonly provisionedPollers?: { readonly minimum: number; readonly maximum: number } | undefined;
  /** Whether `FunctionResponseTypes` lists `ReportBatchItemFailures`. */
  readonly reportBatchItemFailures: boolean;
  /** The patterns of its `FilterCriteria`; undefined or empty when it filters nothing. */
  readonly filterPatterns?: readonly string[] | undefined;
}

export interface FunctionSetup {
  readonly timeoutSeconds: number;
  /** The function's reserved concurrency; undefined when it has none. */
  readonly reservedConcurrency?: number | undefined;
}

export interface RetryHorizonSetup {
  readonly totalSeconds: number;
  /** How it adds up, in words (shown in findings). */
  readonly description: string;
}

export interface ConsumerBreakerSetup {
  /** How long a pause lasts before the half-open probe. */
  readonly cooldownSeconds: number;
  /** How long half-open runs at reduced concurrency before the breaker decides. */
  readonly probeSeconds: number;
}

export interface RedriveSetup {
  /** Minimum time between two redrives started by the DLQ alarm. */
  readonly cooldownSeconds: number;
  /**
   * How often something looks at the DLQ again when the alarm's trigger was skipped (a schedule); undefined
   * when nothing does.
   */
  readonly recheckSeconds?: number | undefined;
  /** Where messages redriven too often go; undefined when they stay in the DLQ. */
  readonly parkingQueue?: QueueSetup | undefined;
}

/** What an alarm watches, as far as the rules care. */
export type AlarmSubject = 'dead-letter-queue' | 'parking-queue' | 'work-queue' | 'consumer';

export interface AlarmSetup {
  readonly name: string;
  readonly watches: AlarmSubject;
  /** The ARNs of its ALARM actions (see alarmActionReachesPeople). */
  readonly alarmActionArns: readonly string[];
}
