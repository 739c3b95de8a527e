import type { AwsClients } from '../aws/awsClients.js';
import type { RedriveConfig } from '../config/redriveConfig.js';
import type { FailureMetadata } from '../deadLetter/failureMetadata.js';
import type { AlarmStateChange, AlarmStateReader, LoggerLike } from '../types.js';

/**
 * `manual`: receive from the DLQ, send to the source, delete from the DLQ, here, with every option.
 * `native`: SQS's own message move task (StartMessageMoveTask), which moves everything, server-side.
 */
export type RedriveStrategy = 'manual' | 'native';

/** `auto` picks native when nothing asked for needs the manual strategy and the endpoint supports it. */
export type RedriveStrategyChoice = 'auto' | RedriveStrategy;

export type JsonScalar = string | number | boolean | null;

/**
 * Which dead-lettered messages to move. With several filters, a message must match all of them.
 * - `errorClass`: the error class in the message's failure metadata (FAILURE_ATTRIBUTES.errorClass).
 * - `attribute` + `equals`: a message attribute's string value.
 * - `jsonPath` + `equals`: a value in the JSON body, by a path such as `$.order.lines[0].sku`.
 */
export type RedriveFilter =
  | { readonly errorClass: string; readonly attribute?: never; readonly jsonPath?: never }
  | {
      readonly attribute: string;
      readonly equals: string;
      readonly errorClass?: never;
      readonly jsonPath?: never;
    }
  | {
      readonly jsonPath: string;
      readonly equals: JsonScalar;
      readonly errorClass?: never;
      readonly attribute?: never;
    };

export interface RedriveOptions {
  /** The dead-letter queue: URL, ARN or name. */
  readonly dlq: string;
  /**
   * Where a message goes when it does not say where it came from (no DeadLetterQueueSourceArn and no
   * failure metadata): URL, ARN or name. With the native strategy, every message goes there.
   * @default none: such messages stay in the DLQ and are reported failed
   */
  readonly source?: string | undefined;
  /** @default 'auto' */
  readonly strategy?: RedriveStrategyChoice | undefined;
  /** Stop after this many messages were moved (or, in a dry run, would be). @default no limit */
  readonly maxMessages?: number | undefined;
  /** Messages moved per second at most, to spare the consumer. @default no limit */
  readonly ratePerSecond?: number | undefined;
  /** No receive starts after this many ms; batches under way finish. @default no limit */
  readonly timeBudgetMs?: number | undefined;
  /** Receive-send-delete loops run at once (manual). 1..100. @default 10 */
  readonly concurrency?: number | undefined;
  /** Move only the messages that match (all of) these. @default every message */
  readonly filter?: RedriveFilter | readonly RedriveFilter[] | undefined;
  /** Inspect and report what would move, then release every message at once. @default false */
  readonly dryRun?: boolean | undefined;
  /**
   * The loop guard: a message already redriven this many times (REDRIVE_COUNT_ATTRIBUTE) is not moved
   * again; it stays in the DLQ, or goes to `parkingQueue`, and is reported. 1..1000. @default no cap
   */
  readonly maxRedrivesPerMessage?: number | undefined;
  /** Where capped messages go (URL, ARN or name), instead of staying in the DLQ. Needs the cap. */
  readonly parkingQueue?: string | undefined;
  /**
   * How long a received message stays invisible (manual). It must cover one send and one delete with
   * their retries; a crash leaves messages invisible for at most this long. 1..43200. @default 60
   */
  readonly visibilityTimeoutSeconds?: number | undefined;
  /** Long-poll wait of each receive; an empty answer after it means the DLQ is drained. 0..20. @default 1 */
  readonly receiveWaitSeconds?: number | undefined;
  /** Native: how often ListMessageMoveTasks is polled for progress, ms. 10..60000. @default 5000 */
  readonly nativePollIntervalMs?: number | undefined;
  /** Per-message outcomes kept in the report; beyond it they are only counted. 0..100000. @default 1000 */
  readonly reportLimit?: number | undefined;
  /**
   * Called once the queues are checked and the strategy chosen, before any message moves; awaited. A
   * callback that throws is logged and otherwise ignored.
   */
  readonly onStart?: ((plan: RedrivePlan) => void | Promise<void>) | undefined;
  /** Called after every batch (manual) or poll (native). */
  readonly onProgress?: ((progress: RedriveProgress) => void) | undefined;
  /** Aborting stops the run as the time budget would: no new receive, batches under way finish. */
  readonly signal?: AbortSignal | undefined;
  /** @default a Powertools Logger, loaded on the first line written */
  readonly logger?: LoggerLike | undefined;
  /** SDK clients to use instead of the ones created on first use. */
  readonly aws?: AwsClients | undefined;
}

/** What a run is about to do, given to `onStart`. */
export interface RedrivePlan {
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly fifo: boolean;
  readonly strategy: RedriveStrategy;
  /** Why this strategy: what was asked for, or why native was not possible. */
  readonly strategyReason: string;
  readonly dryRun: boolean;
  /** The DLQ's ApproximateNumberOfMessages when the run started. */
  readonly approximateDepth: number;
}

export interface RedriveCounts {
  /** Messages received from the DLQ and looked at (manual; each counted once per run). */
  readonly received: number;
  /** Sent to their source and deleted from the DLQ; in a dry run, those that would be. */
  readonly moved: number;
  /** Did not match the filter; left in the DLQ. */
  readonly skippedByFilter: number;
  /** At or over the redrive cap; left in the DLQ, or parked. */
  readonly capped: number;
  /** Of the capped, those sent to the parking queue (and deleted from the DLQ). */
  readonly parked: number;
  /** Could not be moved (no known source, a send refused, too many attributes); left in the DLQ. */
  readonly failed: number;
  /** FIFO: left in the DLQ behind an earlier message of their group that stayed, to keep group order. */
  readonly blocked: number;
  /** Sent to their source but not deleted from the DLQ: a later redrive will send them again. */
  readonly duplicated: number;
  /** Received carrying a redrive count: they had been redriven before and came back. */
  readonly previouslyRedriven: number;
}

export interface RedriveProgress extends RedriveCounts {
  readonly strategy: RedriveStrategy;
  readonly elapsedMs: number;
  /** The DLQ depth at the start, or the native task's count of messages to move. */
  readonly approximateTotal: number | undefined;
}

/**
 * - `drained`: a receive came back empty (every visible message was handled).
 * - `max-messages`, `time-budget`, `aborted`: the run was told to stop there.
 * - `in-flight-limit`: SQS refused to hand out more messages while so many are held (OverLimit).
 * - `task-*`: the native task ended so, or was still running when the run stopped waiting.
 */
export type RedriveStopReason =
  | 'drained'
  | 'max-messages'
  | 'time-budget'
  | 'aborted'
  | 'in-flight-limit'
  | 'task-completed'
  | 'task-failed'
  | 'task-cancelled'
  | 'task-running';

export type RedriveMessageAction =
  | 'moved'
  | 'would-move'
  | 'skipped-by-filter'
  | 'capped'
  | 'parked'
  | 'would-park'
  | 'failed'
  | 'blocked'
  | 'duplicated';

/** What happened to one message (manual strategy). */
export interface RedriveMessageOutcome {
  readonly messageId: string;
  readonly action: RedriveMessageAction;
  /** The redrive count the message carried when received. */
  readonly redriveCount: number;
  readonly destinationUrl?: string | undefined;
  readonly messageGroupId?: string | undefined;
  /** From the failure metadata, when the message has some. */
  readonly errorClass?: string | undefined;
  /** Why it did not move, for failed, blocked and duplicated messages. */
  readonly reason?: string | undefined;
}

export interface RedriveReport extends RedriveCounts {
  readonly strategy: RedriveStrategy;
  readonly strategyReason: string;
  readonly dryRun: boolean;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly stopReason: RedriveStopReason;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Messages moved per second over the run. */
  readonly ratePerSecond: number;
  /** Moved messages by destination queue URL. */
  readonly movedByDestination: Readonly<Record<string, number>>;
  /** Per-message outcomes, the first `reportLimit` of them. */
  readonly messages: readonly RedriveMessageOutcome[];
  /** Outcomes beyond `reportLimit`, counted only. */
  readonly messagesOmitted: number;
  /** Native strategy: the move task as last seen. */
  readonly nativeTask?: NativeTaskReport | undefined;
}

export interface NativeTaskReport {
  readonly taskHandle: string | undefined;
  readonly status: string;
  readonly approximateMessagesToMove: number | undefined;
  readonly failureReason: string | undefined;
}

/* What invoked the redrive function (redriveTrigger.ts) */

/** A redrive asked for by hand: `{ dlq, source, max, dryRun, filter }`, every key optional. */
export interface ManualRedriveRequest {
  readonly dlq?: string | undefined;
  readonly source?: string | undefined;
  readonly max?: number | undefined;
  readonly dryRun?: boolean | undefined;
  readonly filters: readonly RedriveFilter[];
}

/** What the function passes to itself to go on with a run that ran out of time. */
export interface RedriveContinuationPayload {
  readonly runId: string;
  /** 1 for the first continuation. */
  readonly chain: number;
  /** Messages the run may still move. */
  readonly remaining: number;
  /** What started the run, for events and logs. */
  readonly startedBy: string;
}

export type RedriveTrigger =
  | { readonly kind: 'alarm'; readonly alarm: AlarmStateChange }
  | { readonly kind: 'schedule' }
  | { readonly kind: 'manual'; readonly request: ManualRedriveRequest }
  | { readonly kind: 'continuation'; readonly continuation: RedriveContinuationPayload };

/* The redrive function (createRedriveHandler.ts) */

export interface RedriveHandlerOptions {
  /** @default read from SQS_FAILSAFE_REDRIVE_CONFIG at creation (cold start) */
  readonly config?: RedriveConfig;
  readonly aws?: AwsClients;
  /** @default a Powertools Logger, loaded on the first line written */
  readonly logger?: LoggerLike;
  /**
   * Reads the health alarm's state before a DLQ-alarm or scheduled redrive.
   * @default DescribeAlarms through the AWS SDK (needs cloudwatch:DescribeAlarms on the health alarm)
   */
  readonly alarmStates?: AlarmStateReader;
  /** Starts the next invocation of a run. @default an asynchronous Lambda invoke of this function */
  readonly invokeSelf?: (functionArn: string, payload: unknown) => Promise<void>;
  /** Emit the MessagesRedriven metric (Embedded Metric Format). @default on inside Lambda, off elsewhere */
  readonly metrics?: boolean;
  /** Where metric lines go. @default process.stdout */
  readonly writeMetrics?: (line: string) => void;
  readonly now?: () => number;
}

export interface RedriveInvocationResult {
  readonly status: 'skipped' | 'completed';
  /** Why the function redrove, or why not. */
  readonly reason: string;
  readonly runId?: string;
  /** Another invocation goes on with the run (self-invoke) or the schedule will (schedule). */
  readonly continues?: boolean;
  readonly breakerOpened?: boolean;
  readonly report?: RedriveReport;
}

/* peekDeadLetters */

export interface PeekOptions {
  /** The queue to look into: URL, ARN or name. */
  readonly queue: string;
  /** Messages to show, 1..1000. @default 10 */
  readonly max?: number;
  /** How long the shown messages stay invisible at most, should the process die before releasing them. @default 30 */
  readonly holdSeconds?: number;
  readonly aws?: AwsClients;
}

/** A dead-lettered message as an operator wants to see it. */
export interface PeekedMessage {
  readonly messageId: string;
  readonly body: string;
  /** ISO 8601, from SentTimestamp. */
  readonly sentAt: string | undefined;
  /** Receives of this copy (peeking adds one: SQS counts every receive). */
  readonly receiveCount: number;
  readonly redriveCount: number;
  readonly messageGroupId: string | undefined;
  /** Where SQS's redrive policy moved it from, when it did. */
  readonly deadLetterQueueSourceArn: string | undefined;
  /** The failure metadata the runtime attached when it dead-lettered the message. */
  readonly failure: FailureMetadata | undefined;
  /** The message's own attributes (failure metadata excluded), binary values as base64. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface PeekResult {
  readonly queueUrl: string;
  readonly approximateDepth: number;
  readonly messages: readonly PeekedMessage[];
}

/* queueStats */

export interface QueueStatsOptions {
  /** URL, ARN or name. */
  readonly queue: string;
  /**
   * Messages to sample for ages, redrive counts and error classes, 0..1000. A sample is a peek, so it is
   * taken only on queues without a redrive policy of their own (DLQs), never on a source queue, whose
   * messages would count a receive towards their maxReceiveCount. @default 100
   */
  readonly sample?: number;
  readonly aws?: AwsClients;
}

export interface QueueStats {
  readonly url: string;
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  /** ApproximateNumberOfMessages. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible. */
  readonly inFlight: number;
  /** ApproximateNumberOfMessagesDelayed. */
  readonly delayed: number;
  /** The queue's own redrive policy: where its failures go. */
  readonly redrivePolicy:
    | { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number }
    | undefined;
  readonly sample: QueueSample | undefined;
  /** Why there is no sample, when there is none. */
  readonly sampleSkipped?: string;
}

export interface QueueSample {
  readonly size: number;
  /** ISO 8601 of the oldest SentTimestamp in the sample (a standard DLQ keeps the original enqueue time). */
  readonly oldestSentAt: string | undefined;
  readonly oldestAgeSeconds: number | undefined;
  /** Sampled messages by redrive count ("0", "1", ...). */
  readonly redriveCounts: Readonly<Record<string, number>>;
  /** Sampled messages by the error class of their failure metadata ("-" without metadata). */
  readonly errorClasses: Readonly<Record<string, number>>;
}
