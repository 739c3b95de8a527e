import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { BatchConfig, DeadLetterConfig, NotificationsConfig } from '../../lib/config/batchConfig.js';
import type { RedriveContinuation } from '../../lib/config/redriveConfig.js';
import type { ExistingQueueSettings } from './existing/existingQueueSettings.js';
import type { EventRuleSettings, TopicSubscriptionSettings } from './sources/queueSourceSettings.js';

/**
 * The failure-handling configuration the consumer runs with: `BatchConfig` without the parts the construct
 * owns (the DLQ URL and the topic ARN come from the resources it creates). Written into the consumer's
 * `SQS_FAILSAFE_CONFIG` environment variable, so the runtime and the retry math checked at synth time read
 * the same values.
 *
 * The one place where durations are numbers (`scheduleSeconds`, `maxAgeSeconds`, `safetyMarginMs`, ...)
 * rather than `Duration`s: these are the runtime's own options, the same object a handler takes in code
 * (`createBatchHandler(handler, options)`) and the same JSON the function reads, so a configuration moves
 * between code and construct unchanged and a new runtime option needs no construct prop of its own.
 *
 * @example
 * const failsafe: FailsafeSettings = {
 *   retry: { maxAttempts: 3 },
 *   redeliveryBackoff: { scheduleSeconds: [10, 60, 300, 900] },
 *   deadLetter: { maxAgeSeconds: 86_400 },
 * };
 */
export interface FailsafeSettings
  extends Omit<
    BatchConfig,
    'version' | 'deadLetter' | 'notifications' | 'redeliveryBackoff' | 'idempotency' | 'attemptLedger'
  > {
  /**
   * Delay before a failed message comes back: an explicit schedule t_1..t_n (seconds) or exponential
   * backoff whose ceiling after the k-th failed attempt is min(maxSeconds, baseSeconds × multiplier^(k-1)).
   * Missing exponential fields take the defaults below, and the construct writes the completed values into
   * the configuration, so the runtime never applies defaults of its own.
   * @default { baseSeconds: 30, maxSeconds: 900, multiplier: 2 }
   */
  readonly redeliveryBackoff?: BatchConfig['redeliveryBackoff'];
  /**
   * Dead-letter routing by the runtime (the DLQ URL is filled in by the construct). `maxAttempts` (A) is
   * the attempt on which the runtime sends a still-failing message to the DLQ with its failure metadata and
   * attempt history; receives in which the handler did not run never count. The construct creates the
   * attempt ledger the count needs, and sizes the queue's `maxReceiveCount` from A.
   * @default { maxAttempts: schedule length + 1, else 4 }, no maximum age
   */
  readonly deadLetter?: Omit<DeadLetterConfig, 'queueUrl'>;
  /**
   * Outcome events published to the topic (its ARN is filled in by the construct).
   * @default the runtime's defaults (dead-lettered and failed events, no bodies, no callback topics)
   */
  readonly notifications?: Omit<NotificationsConfig, 'topicArn'>;
}

/**
 * Properties of {@link FailsafeConsumer}, every one optional. Every duration is a `Duration` (except inside
 * `failsafe`, see {@link FailsafeSettings}) and is checked at synth time together with the others: see
 * docs/construct.md, "Synth-time validation".
 *
 * @example
 * const props: FailsafeConsumerProps = {
 *   entry: 'src/orders/handler.ts',
 *   timeout: Duration.seconds(20),
 *   redrive: { cooldown: Duration.minutes(30) },
 *   circuitBreaker: { cooldown: Duration.minutes(10) },
 * };
 */
export interface FailsafeConsumerProps {
  // ----- queues -----

  /**
   * A work queue and DLQ that exist already, consumed instead of new ones. `visibilityTimeout`,
   * `retentionPeriod`, `maxReceiveCount` and `deadLetterRetentionPeriod` then state what they have (the
   * construct cannot change them), and a deploy-time check compares them with the queues. See
   * {@link ExistingQueueSettings}.
   * @default new queues
   */
  readonly existingQueue?: ExistingQueueSettings;

  /**
   * A FIFO work queue and DLQ instead of standard ones. FIFO takes at most 10 messages per batch and no
   * batching window.
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * Name of the work queue (FIFO names end in `.fifo`).
   * @default a name derived from the construct's path (the DLQ's RedriveAllowPolicy must name the work
   * queue before it exists, so its name is fixed at synth time)
   */
  readonly queueName?: string;
  /**
   * How long the work queue keeps a message (60 s to 14 days). Must be longer than the retry horizon.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * Visibility timeout of the work queue: how long a received message stays hidden, and so the redelivery
   * delay after a crash or timeout. At least 6 × the function timeout + the batching window.
   * @default 6 × function timeout + maxBatchingWindow (AWS's recommendation)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Delivery delay of the work queue (T_s, 0 to 15 min).
   * @default Duration.seconds(0)
   */
  readonly deliveryDelay?: Duration;
  /**
   * Receives after which SQS moves a message to the DLQ (redrive policy, up to 1000): a safety net for
   * receives nobody reports on (crashes, timeouts, throttles), since the runtime dead-letters by attempts.
   * At least the formula of docs/failure-routing.md ("The queue's maxReceiveCount"), which is the default.
   * @default 5 for a standard queue with copies; maxAttempts + 4 with `failsafe.redelivery: 'visibility'`;
   * batchSize × (maxAttempts + 1) + 3 for a FIFO queue
   */
  readonly maxReceiveCount?: number;
  /**
   * Name of the DLQ (FIFO names end in `.fifo`).
   * @default generated by CloudFormation
   */
  readonly deadLetterQueueName?: string;
  /**
   * How long the DLQ keeps a message. For standard queues it must be longer than `retentionPeriod`: a
   * dead-lettered message keeps its original enqueue time, so a shorter DLQ retention expires it early.
   * @default Duration.days(14)
   */
  readonly deadLetterRetentionPeriod?: Duration;
  /**
   * FIFO only: deduplicate by a SHA-256 of the body when a producer sends no deduplication id.
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;
  /**
   * What happens to the DLQ and the parking queue when they leave the stack (`cdk destroy`, a replacement):
   * they hold the messages nothing else has, so by default they stay, with their messages (an idle queue
   * costs nothing). `RemovalPolicy.DESTROY` deletes them and every message in them; SQS queues
   * have no snapshot. With `deadLetterQueueName` set, a retained DLQ keeps its name taken: a stack created
   * again must import it or use another name.
   * @default RemovalPolicy.RETAIN
   */
  readonly deadLetterRemovalPolicy?: RemovalPolicy;
  /**
   * Customer managed KMS key for the queues (the parking queue too), the topic and the idempotency table the
   * construct creates. The consumer, the redrive function and the breaker controller get exactly the key
   * permissions they need.
   * @default SQS-managed encryption (SSE-SQS) for the queues, the AWS managed key `alias/aws/sns` for the
   * topic, DynamoDB's AWS managed key for the table
   */
  readonly encryptionKey?: kms.IKey;

  // ----- consumer -----

  /**
   * Handler file to bundle as the consumer (exporting `handler`), with the local esbuild: ESM, minified,
   * source maps, for the `runtime`'s Node.js, arm64. Give either this or `consumerFunction`.
   * @default the worker handler shipped with this package (functions/worker/handler)
   */
  readonly entry?: string;
  /**
   * An existing function to use as the consumer instead of bundling one. The construct adds the event
   * source, the configuration variable and the grants; its timeout enters the retry math.
   * @default a function bundled from `entry`
   */
  readonly consumerFunction?: lambda.Function;
  /**
   * The Lambda runtime of every function the construct creates (the consumer, the redrive function, the
   * breaker controller): `lambda.Runtime.NODEJS_22_X` or `lambda.Runtime.NODEJS_24_X`. Each bundle is built
   * for that Node.js (esbuild target `node22` or `node24`).
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;
  /**
   * Timeout of the bundled consumer (1 s to 15 min).
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the bundled consumer, MB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Extra environment variables of the bundled consumer.
   * @default none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Retention of the bundled consumer's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Messages per invocation: 1 to 10 for FIFO, 1 to 10,000 for standard (above 10 needs a batching window).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers a batch (0 to 300 s; standard queues only; at least 1 s when
   * `batchSize` is above 10).
   * @default no batching window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most concurrent invocations the event source starts (2 to 1000).
   * @default no limit beyond the account's concurrency
   */
  readonly maxConcurrency?: number;
  /**
   * Provisioned mode for the event source mapping: at least `minimum` (2 to 200) and at most `maximum` (2 to
   * 2,000) event pollers, each running up to 10 invocations at once. It scales about three times faster than
   * the default mode and reaches more concurrency. Cost: every poller is billed (event poller units) whether or
   * not messages arrive, so `minimum` is a fixed monthly charge, and each poller's long polls are SQS requests.
   * Exclusive with `maxConcurrency` (bound the concurrency with `maximum` instead) and with the circuit breaker,
   * whose half-open probe sets a maximum concurrency: give `circuitBreaker: false`.
   * @default the default (on-demand) mode
   */
  readonly provisionedPollers?: ProvisionedPollersSettings;
  /**
   * Publish the event source mapping's `EventCount` metrics (polled, filtered, invoked, failed and dropped
   * events per mapping) to CloudWatch. Cost: they are billed as CloudWatch metrics.
   * @default false
   */
  readonly mappingMetrics?: boolean;
  /**
   * X-Ray active tracing for every function the construct creates (the consumer it bundles, the redrive
   * function, the breaker controller). Each role gets `xray:PutTraceSegments` and `xray:PutTelemetryRecords`,
   * which X-Ray grants only on `*` (cdk-nag's AwsSolutions-IAM5 reports that statement; acknowledge it in your
   * app if you keep the pack). Cost: X-Ray bills traces recorded and retrieved beyond its free tier. An existing
   * `consumerFunction` keeps its own tracing setting (a warning says so when it is not active).
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Failure handling: in-invocation retries, redelivery backoff, dead-letter routing, notifications.
   * @default the runtime's defaults, with the redelivery backoff and the dead-letter receive count completed
   */
  readonly failsafe?: FailsafeSettings;

  // ----- topic -----

  /**
   * Topic for outcome events. The consumer may publish to it and to the allow-listed callback topics only.
   * @default a new topic that requires TLS and is encrypted (see `encryptionKey`)
   */
  readonly topic?: sns.ITopic;

  // ----- alarms and dashboard -----

  /**
   * The oldest-message alarm fires when a message has waited longer than this (1 s up to the retention).
   * @default the retry horizon, but at most half the retention period
   */
  readonly oldestMessageAgeThreshold?: Duration;
  /**
   * The consumer-errors alarm fires at this many failed invocations (crashes, timeouts) in 5 minutes.
   * @default 1
   */
  readonly consumerErrorsThreshold?: number;
  /**
   * The consumer-throttles alarm fires at this many throttled invocations in 5 minutes.
   * @default 1
   */
  readonly consumerThrottlesThreshold?: number;
  /**
   * Who hears about trouble: each action (for example `new SnsAction(opsTopic)`) is added to the
   * consumer-health alarm, the DLQ-not-empty alarm and the parking-queue alarm, for both ALARM and OK, so one
   * page says the consumer is unhealthy or a message was dead-lettered, and a second says it is over. Synth
   * warns (`sqs-failsafe:someone-hears-of-trouble`) when no alarm has an action that reaches a person. The other alarms feed the
   * consumer-health alarm and are left without actions, so one outage pages once. At most 4 (CloudWatch
   * allows 5 actions per state, and the redrive function takes one).
   * @default none: the alarms invoke the redrive function and the breaker controller and notify nobody
   */
  readonly alarmActions?: readonly cloudwatch.IAlarmAction[];
  /**
   * Name of the CloudWatch dashboard.
   * @default generated by CloudFormation
   */
  readonly dashboardName?: string;

  // ----- redrive -----

  /**
   * The redrive function the construct creates (functions/redrive): it moves dead-lettered messages back to
   * the work queue when the consumer-health alarm returns to OK, when the DLQ-not-empty alarm fires (at most
   * once per cooldown), and, with `continuation: 'schedule'`, on a schedule. `false`: no redrive function.
   * @default enabled, with the settings' defaults
   */
  readonly redrive?: false | RedriveSettings;
  /**
   * Your own redrive function instead of the one the construct creates. The DLQ-not-empty alarm invokes it
   * directly (alarm action) and so does the consumer-health alarm when it returns to OK; it may consume the
   * DLQ, send to the work queue and publish to the topic, and gets their addresses in its environment (see
   * `REDRIVE_ADDRESS_VARIABLES`). Everything else is yours to configure: `SQS_FAILSAFE_REDRIVE_CONFIG` if it runs
   * the packaged handler (`redriveConfigEnvironment` writes it), the DLQ tag permissions that handler keeps
   * its state with, a reserved concurrency of 1. Leave `redrive` unset when you give this.
   * @default the construct's own redrive function (see `redrive`)
   */
  readonly redriveFunction?: lambda.IFunction;

  // ----- outage protection -----

  /**
   * The consumer circuit breaker: an alarm on the runtime's `TransientFailures` metric and a controller
   * function (functions/breakerController) that pauses the event source mapping while the alarm is in ALARM,
   * probes at `halfOpenConcurrency` after the cool-down, and resumes. `false`: no breaker.
   * @default enabled, with the settings' defaults
   */
  readonly circuitBreaker?: false | ConsumerBreakerSettings;
  /**
   * Record-level idempotency: the construct creates a DynamoDB table, grants the consumer its item actions
   * and writes `idempotency` into SQS_FAILSAFE_CONFIG, so each record's effect happens once per key.
   * @default off
   */
  readonly idempotency?: IdempotencySettings;

  // ----- sources -----

  /**
   * SNS topics the work queue is subscribed to, one subscription each (fan-out). The queue policy admits each
   * topic by its ARN and nothing else, and the consumer's `envelope` follows `rawMessageDelivery` (on by
   * default), so the consumer decodes what SNS delivers. A FIFO queue takes FIFO topics only.
   * @default none
   */
  readonly topicSubscriptions?: readonly TopicSubscriptionSettings[];
  /**
   * EventBridge rules whose target is the work queue. The queue policy admits each rule by its ARN.
   * @default none
   */
  readonly eventRules?: readonly EventRuleSettings[];
}

/**
 * Provisioned mode of the event source mapping (`ProvisionedPollerConfig`).
 *
 * @example
 * const provisionedPollers: ProvisionedPollersSettings = { minimum: 5, maximum: 50 };
 */
export interface ProvisionedPollersSettings {
  /**
   * Pollers kept at all times, 2 to 200: billed whether or not messages arrive.
   * @default 2
   */
  readonly minimum?: number;
  /**
   * Pollers at most, 2 to 2,000 and at least `minimum`: the mapping runs up to 10 invocations per poller.
   * @default 200
   */
  readonly maximum?: number;
}

/**
 * The redrive function's settings: the infrastructure part of its configuration (`RedriveConfig`); the
 * queue URLs, topic ARN and alarm names are filled in by the construct. Every value is written, defaults
 * completed and durations in seconds, into the function's `SQS_FAILSAFE_REDRIVE_CONFIG`.
 *
 * @example
 * const redrive: RedriveSettings = { cooldown: Duration.minutes(30), ratePerSecond: 20, parkingQueue: true };
 */
export interface RedriveSettings {
  /**
   * Minimum time between two redrives started by the DLQ alarm or the schedule, whole seconds up to 7 days.
   * The consumer-health alarm's return to OK redrives regardless.
   * @default Duration.minutes(15)
   */
  readonly cooldown?: Duration;
  /**
   * Messages moved per triggered run, continuations included, 1 to 1,000,000,000.
   * @default 10000
   */
  readonly maxMessagesPerRun?: number;
  /**
   * Messages moved per second at most, 0.01 to 1,000,000: keep it below what the consumer absorbs.
   * @default 100
   */
  readonly ratePerSecond?: number;
  /**
   * The loop guard: a message already redriven this many times stays in the DLQ (or goes to the parking
   * queue), 1 to 1000.
   * @default 3
   */
  readonly maxRedrivesPerMessage?: number;
  /**
   * The redrive return breaker: stops automatic redrives while redriven messages keep coming back to the
   * DLQ. Not the consumer circuit breaker (the `circuitBreaker` prop).
   * @default { returnThreshold: 0.5, window: Duration.hours(1), minRedriven: 10, openDuration: Duration.hours(1) }
   */
  readonly returnBreaker?: RedriveReturnBreakerSettings;
  /**
   * How a run that ran out of invocation time goes on: `self-invoke` (the function invokes itself
   * asynchronously; it gets lambda:InvokeFunction on itself) or `schedule` (an EventBridge rule invokes it
   * every `scheduleInterval`, going on with a drain under way, or redriving once the cooldown has passed).
   * @default 'self-invoke'
   */
  readonly continuation?: RedriveContinuation;
  /**
   * Self-invocations one run may chain, 0 to 1000 (`continuation: 'self-invoke'` only).
   * @default 20
   */
  readonly maxContinuations?: number;
  /**
   * How often a schedule invokes the function: whole minutes, 1 min to 1 day (an EventBridge rate). With
   * `continuation: 'schedule'` it goes on with a drain under way, or redrives once the cooldown has passed;
   * with `self-invoke` it looks at the DLQ alarm again, and redrives when it is still in ALARM and the cooldown
   * has passed, so that dead letters whose alarm arrived during the cooldown are not left waiting (an alarm
   * acts only when its state changes). Cost: one short invocation per interval.
   * @default Duration.minutes(5)
   */
  readonly scheduleInterval?: Duration;
  /**
   * Receive-send-delete loops at once, 1 to 100.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Create a parking queue (same type and encryption as the DLQ, 14 days' retention) where messages
   * capped by `maxRedrivesPerMessage` go, instead of staying in the DLQ. Its alarm
   * (`alarms.parkingQueueNotEmpty`) gets `alarmActions`, and it is kept on delete like the DLQ
   * (`deadLetterRemovalPolicy`).
   * @default false
   */
  readonly parkingQueue?: boolean;
  /**
   * Timeout of the redrive function, 30 s to 15 min: a run's time budget is this minus a 10 s safety margin.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the redrive function, 128 to 10,240 MB.
   * @default 256
   */
  readonly memorySize?: number;
}

/**
 * The redrive return breaker: when, within `window`, the messages coming back to the DLQ reach
 * `returnThreshold` times those redriven (and at least `minRedriven` were), automatic redrives stop for
 * `openDuration`. Written into `SQS_FAILSAFE_REDRIVE_CONFIG` as its `circuitBreaker`, in seconds.
 *
 * @example
 * const redrive: RedriveSettings = { returnBreaker: { returnThreshold: 0.2, openDuration: Duration.hours(6) } };
 */
export interface RedriveReturnBreakerSettings {
  /**
   * Returned / redriven ratio that opens the breaker, above 0 and at most 1.
   * @default 0.5
   */
  readonly returnThreshold?: number;
  /**
   * Length of the counting window, whole seconds from 1 min to 7 days.
   * @default Duration.hours(1)
   */
  readonly window?: Duration;
  /**
   * Redriven messages in the window before the ratio is trusted, 1 to 1,000,000.
   * @default 10
   */
  readonly minRedriven?: number;
  /**
   * How long an open breaker blocks automatic redrives, whole seconds from 1 min to 7 days.
   * @default Duration.hours(1)
   */
  readonly openDuration?: Duration;
}

/**
 * The consumer circuit breaker's settings: the transient-failure alarm (a metric-math alarm on the
 * runtime's `TransientFailures` and `MessagesSucceeded`, by `QueueName`, missing data not breaching) and the
 * controller's configuration (`ConsumerBreakerConfig`, whose mapping UUID, alarm name and topic ARN the construct
 * fills in; durations in seconds).
 *
 * @example
 * const circuitBreaker: ConsumerBreakerSettings = { failureRatePercent: 80, cooldown: Duration.minutes(10) };
 */
export interface ConsumerBreakerSettings {
  /**
   * The least `TransientFailures` in a period for it to count (records failed with a retryable error,
   * failed fast by the dependency breaker, or refused a retry by the budget), an integer of at least 1: a
   * few failures at low traffic are not an outage, whatever their share.
   * @default 10
   */
  readonly threshold?: number;
  /**
   * The share of transient failures among the records that succeeded or failed transiently, in percent
   * (1 to 100), at which a period breaches. A share rather than a count, so the breaker tells a dependency
   * that is down (nearly every record fails) from the steady trickle of retryable errors a busy consumer
   * always has. Permanent failures are not counted either way: they say nothing about a dependency.
   * @default 50
   */
  readonly failureRatePercent?: number;
  /**
   * The alarm's period: whole minutes, 1 min to 1 day (the runtime's metrics are standard resolution).
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;
  /**
   * Periods the alarm looks at, at least 1; period × evaluationPeriods at most a day.
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Periods out of `evaluationPeriods` that must breach, 1 to evaluationPeriods.
   * @default 2
   */
  readonly datapointsToAlarm?: number;
  /**
   * How long the consumer stays paused before the half-open probe, whole seconds from 1 s to 1 day.
   * @default Duration.minutes(5)
   */
  readonly cooldown?: Duration;
  /**
   * Maximum concurrency while half-open, 2 to 1000, below `fullConcurrency`; also the marker of a pause made
   * by the breaker.
   * @default 2
   */
  readonly halfOpenConcurrency?: number;
  /**
   * The concurrency restored when the breaker closes. It must equal `maxConcurrency`, the value the mapping
   * is deployed with, and needs it set: without a maximum the breaker restores none.
   * @default `maxConcurrency` (none when it is unset)
   */
  readonly fullConcurrency?: number;
  /**
   * How long half-open runs before the alarm decides, and how often the probe schedule invokes the
   * controller: whole minutes, at least period × evaluationPeriods (so the alarm has judged the half-open
   * traffic), at most 1 day.
   * @default Duration.minutes(5)
   */
  readonly probeInterval?: Duration;
}

/**
 * Record-level idempotency (Powertools Idempotency on a DynamoDB table the construct creates): partition
 * key `id` (String), TTL attribute `expiration`, on-demand billing, encrypted, point-in-time recovery.
 * Written into `SQS_FAILSAFE_CONFIG` as its `idempotency`, durations in seconds.
 *
 * @example
 * const idempotency: IdempotencySettings = { keyPath: 'order.id', expiresAfter: Duration.days(2) };
 */
export interface IdempotencySettings {
  /**
   * Dot path into the decoded body whose value is the key (`order.id`; a number indexes a list), at most
   * 256 characters. A record without a usable value there fails permanently.
   * @default the SQS message id (which a redrive changes: use a business id to catch redriven duplicates)
   */
  readonly keyPath?: string;
  /**
   * How long a completed key suppresses duplicates, whole seconds from 1 s to 365 days.
   * @default Duration.days(1)
   */
  readonly expiresAfter?: Duration;
  /**
   * Cap on how long an in-progress key (the lock of an attempt that crashed) blocks duplicates, whole
   * seconds from 1 s to 12 h.
   * @default the invocation's remaining time
   */
  readonly inProgressExpiry?: Duration;
  /**
   * What happens to the table when it leaves the stack. Its items only matter while the consumer runs and
   * expire within `expiresAfter`, and the queues are destroyed with the stack too.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}
