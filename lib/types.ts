import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AwsClients } from './aws/awsClients.js';
import type {
  DeadLetterConfig,
  IdempotencyConfig,
  NotificationsConfig,
  RedeliveryBackoffConfig,
} from './config/failsafeConfig.js';
import type { LambdaContextLike, SqsBatchResponse, SqsRecord } from './event/sqsEvent.js';
import type { MetricName } from './metrics/metricNames.js';

/** How a record body is read: parsed as JSON (default) or passed on as text. */
export type BodyFormat = 'json' | 'text';

/** `sns`: the body is an SNS notification envelope (SNS -> SQS without raw delivery); its `Message` is read. */
export type Envelope = 'none' | 'sns';

/**
 * FIFO failure modes (AWS-SEMANTICS.md, "FIFO"):
 * - `stop-on-first-failure`: process in order, stop at the first failure, report it and every later message.
 * - `skip-failed-group`: process groups independently; report the failed message and the rest of its group.
 */
export type FifoMode = 'stop-on-first-failure' | 'skip-failed-group';

/**
 * Where a record stands. `pending` exists only while the batch runs: stages and hooks never see it.
 * `skipped` means the handler never ran (FIFO order, or no time left).
 */
export type RecordStatus = 'pending' | 'succeeded' | 'failed' | 'skipped';

/**
 * The one place a record's fate is written. The runner fills status, error, attempts and timings; later
 * stages (backoff, dead-letter routing, notifications) read and add to it; the batch response is built from
 * the list once, at the end.
 */
export interface RecordOutcome<TResult = unknown> {
  readonly record: SqsRecord;
  /** Position in the batch. */
  readonly index: number;
  status: RecordStatus;
  /** Why the record failed or was skipped. */
  error?: Error | undefined;
  /** The error can never succeed on retry (PermanentError, undecodable or invalid body). */
  permanent: boolean;
  /** Handler calls made in this invocation (0 when skipped or undecodable). */
  attempts: number;
  /** Epoch ms when the first attempt started. */
  startedAt?: number | undefined;
  /** Epoch ms when the record reached its final status. */
  finishedAt?: number | undefined;
  /** What the handler returned, on success. */
  result?: TResult | undefined;
  /**
   * Set by dead-letter routing once the DLQ accepted the message; the record is then reported handled and
   * SQS deletes it from the source.
   */
  deadLetter?: DeadLetterReceipt | undefined;
  /** Why dead-letter routing could not move a record it should have; the record stays in the source. */
  deadLetterError?: Error | undefined;
  /** Set by redelivery backoff once SQS accepted the record's new visibility timeout. */
  retryScheduled?: { readonly delaySeconds: number; readonly at: number } | undefined;
}

/** Why a record was sent to the DLQ by the runtime. */
export type DeadLetterReason = 'permanent-error' | 'max-age-exceeded' | 'max-receives-reached';

export interface DeadLetterReceipt {
  readonly queueUrl: string;
  /** The message id the DLQ gave the copy. */
  readonly messageId: string;
  readonly reason: DeadLetterReason;
  /** Epoch ms. */
  readonly at: number;
}

/** Given to the record handler with each attempt. */
export interface RecordContext {
  readonly record: SqsRecord;
  /** 1 for the first call in this invocation. The SQS receive count is in `record.attributes`. */
  readonly attempt: number;
  /** Aborted when the time budget runs out: pass it to fetch and SDK calls so they stop in time. */
  readonly signal: AbortSignal;
  readonly lambdaContext: LambdaContextLike;
  readonly logger: LoggerLike;
}

/**
 * Processes one message. Return normally for success; throw to fail (a {@link PermanentError} is never
 * retried). Sync or async.
 */
export type RecordHandler<TMessage = unknown, TResult = unknown> = (
  message: TMessage,
  context: RecordContext,
) => TResult | Promise<TResult>;

/** Structured logger; a Powertools `Logger` fits as it is. */
export interface LoggerLike {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/**
 * Limits retries inside invocations to a share of first attempts over a sliding window, per container,
 * so that an outage cannot multiply the load on a failing dependency (a retry storm). A retry the budget
 * refuses is left to SQS: the record reports failed and comes back after its redelivery delay.
 *
 * @example
 * createBatchHandler(handler, { retry: { maxAttempts: 3, budget: { ratio: 0.1 } } });
 */
export interface RetryBudgetOptions {
  /** Retries allowed per first attempt in the window, 0..1. @default 0.2 */
  readonly ratio?: number;
  /** Length of the sliding window, in seconds, 1..3600. @default 10 */
  readonly windowSeconds?: number;
  /** Retries always allowed, per second of window, whatever the ratio says, 0..1000. @default 1 */
  readonly minRetriesPerSecond?: number;
}

/** Retries inside one invocation: exponential backoff with full jitter. */
export interface ExponentialRetryOptions {
  /** Handler calls per record, the first included. Must be >= 1. @default 3 */
  readonly maxAttempts?: number;
  /** Ceiling of the first retry delay, ms. @default 100 */
  readonly baseDelayMs?: number;
  /** Cap of any delay, ms; must be >= baseDelayMs. @default 1000 */
  readonly maxDelayMs?: number;
  /** Growth of the delay ceiling per retry; >= 1. @default 2 */
  readonly multiplier?: number;
  readonly scheduleMs?: never;
  /** Overrides which errors are retried. PermanentError is never retried; AWS throttling always is. */
  readonly retryOn?: RetryPredicate;
  /** `false` lifts the limit. @default { ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 1 } */
  readonly budget?: RetryBudgetOptions | false;
}

/** Retries inside one invocation on an explicit schedule t_1..t_n: n retries, waiting t_i ms before the i-th. */
export interface ScheduledRetryOptions {
  readonly scheduleMs: readonly number[];
  readonly maxAttempts?: never;
  readonly baseDelayMs?: never;
  readonly maxDelayMs?: never;
  readonly multiplier?: never;
  readonly retryOn?: RetryPredicate;
  /** `false` lifts the limit. @default { ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 1 } */
  readonly budget?: RetryBudgetOptions | false;
}

export type RetryOptions = ExponentialRetryOptions | ScheduledRetryOptions;

export type RetryPredicate = (error: Error, record: SqsRecord) => boolean;

/**
 * The in-invocation dependency breaker: after `consecutiveFailures` transient failures in a row against
 * the same dependency within a batch, records that would call it are not attempted (nor retried) for the
 * rest of the batch; they report failed with a DependencyUnavailableError (retryable), keeping their
 * redelivery delay. A failure names its dependency by being a DependencyError, or through `dependencyOf`.
 *
 * @example
 * createBatchHandler(chargeOrder, {
 *   dependencyBreaker: { consecutiveFailures: 3 },
 * }); // chargeOrder throws new DependencyError('payments-api', error)
 */
export interface DependencyBreakerOptions {
  /** Transient failures in a row against one dependency that open it, 1..100. @default 3 */
  readonly consecutiveFailures?: number;
  /**
   * Names the dependency an error came from, for errors that are not a DependencyError (which always
   * names its own). Return undefined for an error that says nothing about a dependency.
   */
  readonly dependencyOf?: (error: Error, record: SqsRecord) => string | undefined;
  /**
   * The dependencies a record will call. Only records declaring an open dependency are held back.
   * @default every record is assumed to call every dependency: once one is open, no record is started
   */
  readonly dependenciesOf?: (message: unknown, record: SqsRecord) => readonly string[];
}

/** Passed to `onRetry` before the runner waits and calls the handler again. */
export interface RetryEvent {
  readonly record: SqsRecord;
  /** The attempt that just failed. */
  readonly attempt: number;
  readonly error: Error;
  readonly delayMs: number;
}

/**
 * Observers of record outcomes. Sync or async. A hook that throws or rejects is logged and otherwise
 * ignored: it never changes what happens to the message. Async hooks are awaited before the handler
 * returns, within the time budget.
 */
export interface BatchHooks<TResult = unknown> {
  onSuccess?(outcome: RecordOutcome<TResult>): void | Promise<void>;
  /** Called once per record that ends failed (after its retries) or skipped. */
  onFailure?(outcome: RecordOutcome<TResult>): void | Promise<void>;
  onRetry?(event: RetryEvent): void | Promise<void>;
  /** Called once the DLQ accepted a record routed there. */
  onDeadLetter?(outcome: RecordOutcome<TResult>): void | Promise<void>;
  /** Called once SQS accepted a record's redelivery delay. */
  onRetryScheduled?(outcome: RecordOutcome<TResult>): void | Promise<void>;
}

/** The queue the batch came from, read from the event source ARN. */
export interface QueueInfo {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly fifo: boolean;
}

/** Read-only view of the invocation's time budget. */
export interface TimeBudgetView {
  /** Epoch ms after which no record work may start; Infinity without a Lambda context. */
  readonly deadline: number;
  /**
   * Epoch ms just before the Lambda timeout: the limit for the stages' AWS calls, which must finish even
   * when processing used up its budget.
   */
  readonly hardDeadline: number;
  readonly signal: AbortSignal;
  remainingMs(): number;
  /** True when work of this length, started now, ends before the deadline. */
  allows(durationMs: number): boolean;
}

/** Calls a user hook without letting it change anything (see BatchHooks). */
export interface HookCaller {
  call<K extends keyof BatchHooks>(
    name: K,
    argument: Parameters<NonNullable<BatchHooks[K]>>[0],
    messageId: string,
  ): void;
}

/** Counts added by stages during a batch and emitted as metrics at its end. */
export interface MetricCounter {
  add(name: MetricName, value: number): void;
}

/** What stages receive besides the outcomes. */
export interface BatchContext {
  readonly queue: QueueInfo;
  readonly lambdaContext: LambdaContextLike;
  readonly budget: TimeBudgetView;
  readonly logger: LoggerLike;
  readonly hooks: HookCaller;
  readonly metrics: MetricCounter;
  /** Epoch ms when the batch started. */
  readonly startedAt: number;
  /** True when the time budget ran out before every record finished. */
  readonly timedOut: boolean;
}

/**
 * A step that runs after every record has an outcome and before the response is built: it reads outcomes
 * and enriches them. A stage that throws is logged; the outcomes keep what they hold, so nothing is lost.
 */
export interface OutcomeStage {
  readonly name: string;
  run(outcomes: readonly RecordOutcome[], batch: BatchContext): void | Promise<void>;
}

export interface BatchOptions<TResult = unknown> {
  /** @default 'json' */
  readonly body?: BodyFormat;
  /** @default 'none' */
  readonly envelope?: Envelope;
  /** Any Standard Schema (zod, valibot, arktype); the handler receives its output. */
  readonly schema?: StandardSchemaV1;
  /**
   * Records processed at once on a standard queue, and groups at once in FIFO `skip-failed-group` mode.
   * The default runs a default-sized batch (10) fully in parallel while keeping a large batch from opening
   * thousands of calls to a downstream at once. 1..1000. @default 10
   */
  readonly concurrency?: number;
  /** @default 'stop-on-first-failure' */
  readonly fifoMode?: FifoMode;
  /** `false` disables retries inside the invocation. @default exponential, 3 attempts, 100..1000 ms */
  readonly retry?: RetryOptions | false;
  /**
   * Time kept free before the Lambda timeout: no attempt or backoff starts that would end inside it, and
   * the handler returns before it. Covers the stages and the response. 0..60000. @default 1000
   */
  readonly safetyMarginMs?: number;
  /** Throw instead of reporting when every record failed (makes the invocation an error). @default false */
  readonly throwOnBatchFailure?: boolean;
  readonly hooks?: BatchHooks<TResult>;
  /** @default a Powertools Logger, loaded on the first line written */
  readonly logger?: LoggerLike;
  /**
   * Send records to the DLQ yourself, with failure metadata: permanent errors, messages older than
   * `maxAgeSeconds` (not processed at all) and messages failing on their `maxReceiveCount`-th receive.
   * @default off
   */
  readonly deadLetter?: DeadLetterConfig;
  /** Delay redelivery of retryable failures through the visibility timeout, by receive count. @default off */
  readonly redeliveryBackoff?: RedeliveryBackoffConfig;
  /** Publish outcome events to an SNS topic. @default off */
  readonly notifications?: NotificationsConfig;
  /** Stop calling a dependency for the rest of a batch once it failed N times in a row. @default off */
  readonly dependencyBreaker?: DependencyBreakerOptions | false;
  /**
   * Run each record's effect at most once per key (Powertools Idempotency on DynamoDB), even when SQS
   * delivers it twice or a redrive repeats it. @default off
   */
  readonly idempotency?: IdempotencyConfig | false;
  /** Emit CloudWatch metrics (Embedded Metric Format). @default on inside Lambda, off elsewhere */
  readonly metrics?: boolean;
  /** SDK clients to use instead of the ones created on first use. */
  readonly aws?: AwsClients;
  /**
   * Read the construct's configuration from the SQS_FAILSAFE_CONFIG environment variable; options given
   * here win over it, key by key. @default true
   */
  readonly configFromEnvironment?: boolean;
  /** Steps run in order after the built-in ones, before notifications and the response. @default [] */
  readonly stages?: readonly OutcomeStage[];
}

/** The message type a handler receives for given options: schema output, text, or parsed JSON. */
export type MessageOf<TOptions> = TOptions extends { schema: StandardSchemaV1<unknown, infer TOutput> }
  ? TOutput
  : TOptions extends { body: 'text' }
    ? string
    : unknown;

export interface BatchResult<TResult = unknown> {
  readonly response: SqsBatchResponse;
  readonly outcomes: readonly RecordOutcome<TResult>[];
  /** Absent for an empty batch. */
  readonly queue?: QueueInfo | undefined;
  /** True when the time budget ran out before every record finished. */
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/** A CloudWatch alarm's state. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** How the alarm state change reached the function (AWS-SEMANTICS.md, "CloudWatch alarm -> Lambda"). */
export type AlarmDelivery = 'sns' | 'eventbridge' | 'alarm-action';

/** One metric an alarm watches: a metric, or a metric-math expression (`expression`, no namespace). */
export interface AlarmMetric {
  /** The metric's id in a metric-math alarm. */
  readonly id?: string | undefined;
  readonly namespace?: string | undefined;
  readonly metricName?: string | undefined;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly expression?: string | undefined;
}

/** An alarm state change, the same whichever way it was delivered. */
export interface AlarmStateChange {
  readonly alarmName: string;
  readonly alarmArn: string | undefined;
  readonly state: AlarmState;
  readonly previousState: AlarmState | undefined;
  readonly reason: string | undefined;
  /** Epoch ms of the change. */
  readonly changedAt: number;
  /** The region code (from the event, or the alarm ARN). */
  readonly region: string | undefined;
  readonly accountId: string | undefined;
  /** What the alarm watches; empty for composite alarms. */
  readonly metrics: readonly AlarmMetric[];
  readonly delivery: AlarmDelivery;
}

/**
 * The consumer-level circuit breaker, read from the event source mapping itself:
 * - `closed`: enabled at its configured concurrency: consuming normally;
 * - `open`: disabled by the breaker (its maximum concurrency set to the half-open value): paused;
 * - `half-open`: enabled at the half-open concurrency: probing whether the dependency is back;
 * - `stopped`: disabled by someone else (any other concurrency): the controller leaves it alone;
 * - `transitioning`: being created or deleted: nothing to do until it settles.
 */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'stopped' | 'transitioning';

/** What the controller does about a trigger. */
export type BreakerAction = 'pause' | 'half-open' | 'close' | 'none';

/**
 * What runs the controller: an alarm state change, or the scheduled probe that moves a paused consumer to
 * half-open after the cool-down and reconciles with the alarm state.
 */
export type BreakerTrigger =
  | { readonly kind: 'alarm'; readonly change: AlarmStateChange }
  | { readonly kind: 'probe'; readonly at: number };

/** The event source mapping as the controller sees it (GetEventSourceMapping). */
export interface EventSourceMappingStatus {
  readonly uuid: string;
  /** As AWS reports it: Creating, Enabling, Enabled, Disabling, Disabled, Updating or Deleting. */
  readonly state: string;
  /** ScalingConfig.MaximumConcurrency; undefined when the mapping has none. */
  readonly maximumConcurrency: number | undefined;
  /** Epoch ms of its last update or state change (LastModified): when the breaker last moved. */
  readonly lastModified: number;
  /** The queue it consumes. */
  readonly eventSourceArn: string | undefined;
  /** The consumer function. */
  readonly functionArn: string | undefined;
}

/** UpdateEventSourceMapping, as the breaker uses it. */
export interface EventSourceMappingChange {
  readonly enabled: boolean;
  /** undefined removes the maximum (AWS: an empty ScalingConfig). */
  readonly maximumConcurrency: number | undefined;
}

/**
 * The mapping the breaker pauses and resumes. On AWS it is the Lambda API (awsEventSourceMappings); the
 * local runtime provides its own over its emulated mapping.
 */
export interface EventSourceMappingControl {
  get(uuid: string): Promise<EventSourceMappingStatus>;
  update(uuid: string, change: EventSourceMappingChange): Promise<void>;
}

/** Reads an alarm's current state (DescribeAlarms); undefined when there is no such alarm. */
export interface AlarmStateReader {
  stateOf(alarmName: string): Promise<AlarmState | undefined>;
}

/** What the controller did on one trigger, returned by the handler and logged. */
export interface BreakerReport {
  readonly trigger: BreakerTrigger['kind'];
  readonly mappingUuid: string;
  readonly before: BreakerState;
  readonly action: BreakerAction;
  readonly after: BreakerState;
  readonly reason: string;
  /** The alarm state the decision used, when it used one. */
  readonly alarmState?: AlarmState | undefined;
}
