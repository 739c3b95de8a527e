import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AttemptHistory } from './attempts/attemptHistory.js';
import type { AwsClients } from './aws/awsClients.js';
import type {
  BatchConfig,
  DependencyBreakerConfig,
  ExponentialRetryConfig,
  ScheduledRetryConfig,
} from './config/batchConfig.js';
import type { LambdaContextLike, SqsBatchResponse, SqsRecord } from './event/sqsEvent.js';
import type { MetricName } from './metrics/metricNames.js';

/** How a record body is read: parsed as JSON (default) or passed on as text. */
export type BodyFormat = 'json' | 'text';

/**
 * Where a record stands. `pending` exists only while the batch runs: stages and hooks never see it.
 * `skipped` means the handler never ran (FIFO order, no time left, or a redelivery not yet due).
 */
export type RecordStatus = 'pending' | 'succeeded' | 'failed' | 'skipped';

/**
 * The one place a record's fate is written. The runner fills status, error, attempts and timings; later
 * stages (backoff, dead-letter routing, notifications) read and add to it; the batch response is built from
 * the list once, at the end.
 */
export interface RecordOutcome<TResult = unknown> {
  readonly record: SqsRecord;
  /**
   * The message's identity: the id SQS gave its first send, which a redelivery copy carries along. Events,
   * failure metadata, hooks and the default idempotency key use it; `record.messageId` is the id of this
   * delivery (the one the batch response names).
   */
  messageId: string;
  /** Position in the batch. */
  readonly index: number;
  status: RecordStatus;
  /** Why the record failed or was skipped. */
  error?: Error | undefined;
  /** The error can never succeed on retry (PermanentError, undecodable or invalid body). */
  permanent: boolean;
  /** Handler calls made in this delivery (0 when the record was not attempted or could not be decoded). */
  calls: number;
  /**
   * The message's attempts: deliveries in which its handler ran, the earlier failed ones and this one when
   * the handler ran in it (a message that succeeds on its third delivery says 3). Counted across deliveries
   * when attempts are kept (`deadLetter.maxAttempts`); otherwise this delivery's alone (0 or 1).
   */
  attempts: number;
  /**
   * The attempt history: as carried in (undefined for a message seen for the first time), and once the
   * batch has run, with this delivery added for every record that did not succeed.
   */
  history: AttemptHistory | undefined;
  /**
   * Epoch ms when the first attempt started: when its lane took the record up. A record taken up as the
   * one before it in its lane finished starts at that finish (one clock read for both), so the previous
   * record's synchronous onSuccess hook and this record's decoding count in its time.
   */
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
  /**
   * Set by redelivery once SQS accepted the record's way back: its new visibility timeout, or a copy
   * (`copyMessageId`), in which case this delivery is reported handled and SQS deletes it.
   */
  retryScheduled?: RetrySchedule | undefined;
}

export interface RetrySchedule {
  readonly delaySeconds: number;
  /** Epoch ms. */
  readonly at: number;
  /** The SQS message id of the redelivery copy, when the record comes back as one. */
  readonly copyMessageId?: string | undefined;
}

/**
 * Why a record was sent to the DLQ by the runtime: a permanent error, the max age (the one reason a
 * message that never failed can be dead-lettered), or its last allowed attempt failed.
 */
export type DeadLetterReason = 'permanent-error' | 'max-age-exceeded' | 'max-attempts-reached';

export interface DeadLetterReceipt {
  readonly queueUrl: string;
  /** The message id the DLQ gave the copy. */
  readonly messageId: string;
  readonly reason: DeadLetterReason;
  /** Epoch ms. */
  readonly at: number;
}

/** Given to the record handler with each call. */
export interface RecordContext {
  readonly record: SqsRecord;
  /** The message's identity: the id of its first send (see RecordOutcome.messageId). */
  readonly messageId: string;
  /**
   * The attempt this call belongs to: the message's earlier failed attempts + 1, counted across
   * deliveries when attempts are kept (`deadLetter.maxAttempts`). Receives in which the handler did not run
   * are not attempts; the SQS receive count is in `record.attributes`.
   */
  readonly attempt: number;
  /** The handler call within this attempt: 1, then 2, 3, ... for retries inside the invocation. */
  readonly call: number;
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

/** Retries inside one invocation: exponential backoff with full jitter. */
export interface ExponentialRetryOptions extends ExponentialRetryConfig {
  /** Overrides which errors are retried. PermanentError is never retried; AWS throttling always is. */
  readonly retryOn?: RetryPredicate;
}

/** Retries inside one invocation on an explicit schedule t_1..t_n: n retries, waiting t_i ms before the i-th. */
export interface ScheduledRetryOptions extends ScheduledRetryConfig {
  /** Overrides which errors are retried. PermanentError is never retried; AWS throttling always is. */
  readonly retryOn?: RetryPredicate;
}

export type RetryOptions = ExponentialRetryOptions | ScheduledRetryOptions;

export type RetryPredicate = (error: Error, record: SqsRecord) => boolean;

/**
 * The dependency breaker, per invocation: after `consecutiveFailures` transient failures in a row against
 * the same dependency within a batch, records that would call it are not attempted (nor retried) for the
 * rest of the batch; they report failed with a DependencyUnavailableError (retryable), keeping their
 * redelivery delay. A failure names its dependency by being a DependencyError, or through `dependencyOf`.
 *
 * @example
 * createBatchHandler(chargeOrder, {
 *   dependencyBreaker: { consecutiveFailures: 3 },
 * }); // chargeOrder throws new DependencyError('payments-api', error)
 */
export interface DependencyBreakerOptions extends DependencyBreakerConfig {
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
  /** The attempt the retry belongs to (see RecordContext.attempt). */
  readonly attempt: number;
  /** The handler call that just failed within it: 1 for the first. */
  readonly call: number;
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

/**
 * The options of a batch handler: the batch configuration (BatchConfig, which the construct can also set
 * through the environment) plus what only code can give. Options given here win over the environment's
 * configuration, key by key.
 */
export interface BatchOptions<TResult = unknown>
  extends Omit<BatchConfig, 'version' | 'retry' | 'dependencyBreaker'> {
  /** `false` disables retries inside the invocation. @default exponential, 3 attempts, 100..1000 ms */
  readonly retry?: RetryOptions | false;
  /** Stop calling a dependency for the rest of a batch once it failed N times in a row. @default off */
  readonly dependencyBreaker?: DependencyBreakerOptions | false;
  // ----- what the handler receives: bound to the handler's own code, so never from the environment -----
  /** @default 'json' */
  readonly body?: BodyFormat;
  /** Any Standard Schema (zod, valibot, arktype); the handler receives its output. */
  readonly schema?: StandardSchemaV1;
  // ----- how this code runs -----
  /** Throw instead of reporting when every record failed (makes the invocation an error). @default false */
  readonly throwOnBatchFailure?: boolean;
  readonly hooks?: BatchHooks<TResult>;
  /** @default a Powertools Logger, loaded on the first line written */
  readonly logger?: LoggerLike;
  /** Emit CloudWatch metrics (Embedded Metric Format). @default on inside Lambda, off elsewhere */
  readonly metrics?: boolean;
  /** SDK clients to use instead of the ones created on first use. */
  readonly aws?: AwsClients;
  /**
   * Read the construct's configuration from the SQS_FAILSAFE_CONFIG environment variable; options given
   * here win over it, key by key. @default true
   */
  readonly configFromEnvironment?: boolean;
  /**
   * Steps run in order after the built-in ones (dead-letter routing, redelivery backoff), before
   * notifications and the response. @default []
   */
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
