import { Annotations, Duration, Names } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BATCH_CONFIG_ENV_VAR, type BatchConfig } from '../../lib/config/batchConfig.js';
import type { ConsumerBreakerConfig } from '../../lib/config/consumerBreakerConfig.js';
import type { RedriveConfig } from '../../lib/config/redriveConfig.js';
import { createBundledFunction } from '../bundling/bundledFunction.js';
import { DEFAULT_NODE_RUNTIME } from '../bundling/nodeRuntime.js';
import { packagedHandlerEntry } from '../bundling/packagedEntry.js';
import { ATTEMPT_LEDGER_ACTIONS, createAttemptLedgerTable } from './attempts/attemptLedgerTable.js';
import {
  breakerSettingsProblems,
  resolveBreakerSettings,
  resolveTransientFailuresAlarmSettings,
} from './breaker/breakerSettings.js';
import { createConsumerBreaker } from './breaker/consumerBreaker.js';
import { formatDuration } from './durations/formatDuration.js';
import { batchConfigEnvironment } from './environment/batchConfigEnvironment.js';
import type { FailsafeConsumerProps } from './failsafeConsumerProps.js';
import { idempotencyConfig, idempotencySettingsProblems } from './idempotency/idempotencySettings.js';
import { createIdempotencyTable, IDEMPOTENCY_TABLE_ACTIONS } from './idempotency/idempotencyTable.js';
import { type ConsumerAlarms, consumerAlarmName, createConsumerAlarms } from './monitoring/consumerAlarms.js';
import { createConsumerDashboard } from './monitoring/consumerDashboard.js';
import { grantPublish, grantSendMessage, grantTableItems } from './permissions/grants.js';
import { createConsumerQueues } from './queues/consumerQueues.js';
import { createRedriveFunction } from './redrive/redriveFunction.js';
import { redriveSettingsProblems, resolveRedriveSettings } from './redrive/redriveSettings.js';
import { wireRedriveFunction } from './redrive/redriveWiring.js';
import { describeRetryHorizon, type RetryHorizon } from './retry/retryHorizon.js';
import { CONSUMER_DEFAULTS, resolveConsumerSettings } from './settings/consumerSettings.js';
import { consumerSettingsProblems } from './settings/consumerSettingsProblems.js';
import { InvalidConsumerSettingsError } from './settings/InvalidConsumerSettingsError.js';
import { createConsumerTopic } from './topic/consumerTopic.js';

/** The redrive function is named `<base name>-Redrive`; Lambda takes at most 64 characters. */
const REDRIVE_FUNCTION_SUFFIX = '-Redrive';

/**
 * An SQS work queue with a failure-handled Lambda consumer: the queue and its DLQ (redrive policy,
 * RedriveAllowPolicy), the consumer with partial batch responses, the failure-handling configuration in
 * one environment variable, a topic for outcome events, least-privilege grants, alarms and a dashboard;
 * by default also the redrive function (triggered by the DLQ-not-empty and consumer-health alarms) and the
 * consumer circuit breaker (a transient-failure alarm and a controller that pauses the event source
 * mapping); on request an idempotency table.
 *
 * Refuses to synthesize settings that lose messages or that AWS rejects (every problem listed at once,
 * in an {@link InvalidConsumerSettingsError}), and prints the retry horizon as an info annotation.
 *
 * @example
 * const orders = new FailsafeConsumer(this, 'Orders', {
 *   entry: 'src/orders/handler.ts',
 *   failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60, 300, 900] } }, // dead-letters on attempt 5
 *   idempotency: { keyPath: 'order.id' },
 * });
 * orders.queue.grantSendMessages(producer);
 */
export class FailsafeConsumer extends Construct {
  /** The work queue. */
  readonly queue: sqs.Queue;
  /** The DLQ of the work queue. */
  readonly deadLetterQueue: sqs.Queue;
  /** The topic outcome events are published to. */
  readonly topic: sns.ITopic;
  /** The consumer function. */
  readonly consumerFunction: lambda.Function;
  /** The SQS event source of the consumer (ReportBatchItemFailures on). */
  readonly eventSource: SqsEventSource;
  /** The alarms; add actions to them (`addAlarmAction`) to be told. */
  readonly alarms: ConsumerAlarms;
  /**
   * The alarms' names, fixed at synth time (plain strings, where `alarm.alarmName` is a reference): what a
   * function the alarms invoke can be told without a dependency cycle.
   */
  readonly alarmNames: Readonly<Record<keyof ConsumerAlarms | 'transientFailures', string>>;
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;
  /** The longest a message can be retried before it is dead-lettered (see {@link RetryHorizon}). */
  readonly retryHorizon: RetryHorizon;
  /** The failure-handling configuration written into the consumer's `SQS_FAILSAFE_CONFIG` (with tokens). */
  readonly failsafeConfig: BatchConfig;
  /** The redrive function: the one the construct created, or `redriveFunction`; none with `redrive: false`. */
  readonly redriveFunction?: lambda.IFunction;
  /** What the created redrive function's `SQS_FAILSAFE_REDRIVE_CONFIG` holds (with tokens). */
  readonly redriveConfig?: RedriveConfig;
  /** Where messages capped by the redrive's loop guard go (`redrive.parkingQueue`). */
  readonly parkingQueue?: sqs.Queue;
  /** The rule that invokes the redrive function with `redrive.continuation: 'schedule'`. */
  readonly redriveSchedule?: events.Rule;
  /**
   * The outage signal: the share of records failing with a retryable error. Part of the consumer-health
   * alarm; the circuit breaker acts on it when on (with `circuitBreaker: false` it keeps the default
   * thresholds).
   */
  readonly transientFailuresAlarm: cloudwatch.Alarm;
  /** The circuit breaker's controller, which pauses and resumes the event source mapping. */
  readonly breakerController?: lambda.Function;
  /** The rule that invokes the controller for its half-open probe. */
  readonly breakerProbeSchedule?: events.Rule;
  /** What the controller's `SQS_FAILSAFE_BREAKER_CONFIG` holds (with tokens). */
  readonly breakerConfig?: ConsumerBreakerConfig;
  /** The idempotency table (`idempotency`). */
  readonly idempotencyTable?: dynamodb.Table;
  /** The attempt ledger: the attempt count of messages that stay in their queue between deliveries. */
  readonly attemptLedgerTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props: FailsafeConsumerProps = {}) {
    super(scope, id);
    const settings = resolveConsumerSettings(props);
    const problems = [
      ...consumerSettingsProblems(props, settings),
      ...redriveSettingsProblems(props, settings.fifo),
      ...breakerSettingsProblems(props),
      ...idempotencySettingsProblems(props),
    ];
    if (problems.length > 0) throw new InvalidConsumerSettingsError(this.node.path, problems);
    this.retryHorizon = settings.horizon;
    const runtime = props.runtime ?? DEFAULT_NODE_RUNTIME;
    // Derived from the construct path (the stack's name first), so unique in the account and region, and
    // fixed at synth time: the alarms and the redrive function are named after it.
    const baseName = Names.uniqueResourceName(this, {
      maxLength: 64 - REDRIVE_FUNCTION_SUFFIX.length,
      separator: '-',
    });

    const { queue, deadLetterQueue } = createConsumerQueues(this, {
      settings,
      queueName: props.queueName,
      deadLetterQueueName: props.deadLetterQueueName,
      contentBasedDeduplication: props.contentBasedDeduplication,
      encryptionKey: props.encryptionKey,
    });
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;

    const topicKey: kms.IKey | undefined = props.topic ? props.topic.masterKey : props.encryptionKey;
    this.topic = props.topic ?? createConsumerTopic(this, props.encryptionKey);

    if (props.idempotency !== undefined) {
      this.idempotencyTable = createIdempotencyTable(this, {
        encryptionKey: props.encryptionKey,
        removalPolicy: props.idempotency.removalPolicy,
      });
    }

    this.attemptLedgerTable = createAttemptLedgerTable(this, props.encryptionKey);

    const { deadLetter, notifications, ...runtimeSettings } = props.failsafe ?? {};
    this.failsafeConfig = {
      ...runtimeSettings,
      redeliveryBackoff: settings.redeliveryBackoff,
      deadLetter: {
        ...deadLetter,
        queueUrl: deadLetterQueue.queueUrl,
        maxAttempts: settings.maxAttempts,
      },
      attemptLedger: { tableName: this.attemptLedgerTable.tableName },
      notifications: { ...notifications, topicArn: this.topic.topicArn },
      ...(this.idempotencyTable
        ? { idempotency: idempotencyConfig(props, this.idempotencyTable.tableName) }
        : {}),
    };
    const consumerEnvironment = batchConfigEnvironment(this, this.failsafeConfig);

    if (props.consumerFunction) {
      this.consumerFunction = props.consumerFunction;
      this.consumerFunction.addEnvironment(
        BATCH_CONFIG_ENV_VAR,
        consumerEnvironment[BATCH_CONFIG_ENV_VAR] as string,
      );
    } else {
      this.consumerFunction = createBundledFunction(this, 'Consumer', {
        entry: props.entry ?? packagedHandlerEntry('worker'),
        runtime,
        purpose: 'consumer: reads its queue, dead-letters, publishes outcome events',
        timeoutSeconds: settings.functionTimeoutSeconds,
        memorySize: props.memorySize ?? CONSUMER_DEFAULTS.memorySize,
        environment: { ...props.environment, ...consumerEnvironment },
        logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      });
    }

    // The event source grants the consumer what polling needs: receive, delete, change visibility (the
    // redelivery backoff), get attributes, and kms:Decrypt with a customer managed key.
    this.eventSource = new SqsEventSource(queue, {
      batchSize: settings.batchSize,
      maxBatchingWindow:
        settings.maxBatchingWindowSeconds > 0
          ? Duration.seconds(settings.maxBatchingWindowSeconds)
          : undefined,
      maxConcurrency: props.maxConcurrency,
      reportBatchItemFailures: true,
    });
    this.consumerFunction.addEventSource(this.eventSource);
    grantSendMessage(this.consumerFunction, deadLetterQueue);
    // Redelivery copies go back to the work queue (standard queues only: FIFO messages stay in place).
    if (!settings.fifo) grantSendMessage(this.consumerFunction, queue);
    grantTableItems(this.consumerFunction, this.attemptLedgerTable, ATTEMPT_LEDGER_ACTIONS);
    grantPublish(this.consumerFunction, [this.topic.topicArn], topicKey);
    grantPublish(this.consumerFunction, notifications?.callbackTopicAllowList ?? []);
    if (this.idempotencyTable) {
      grantTableItems(this.consumerFunction, this.idempotencyTable, IDEMPOTENCY_TABLE_ACTIONS);
    }

    const alarmName = (alarm: string) => consumerAlarmName(baseName, alarm);
    this.alarmNames = {
      deadLetterQueueNotEmpty: alarmName('DeadLetterQueueNotEmpty'),
      oldestMessageAge: alarmName('OldestMessageAge'),
      consumerErrors: alarmName('ConsumerErrors'),
      consumerThrottles: alarmName('ConsumerThrottles'),
      consumerHealth: alarmName('ConsumerHealth'),
      transientFailures: alarmName('TransientFailures'),
    };
    this.alarms = createConsumerAlarms(this, {
      alarmNamePrefix: baseName,
      queue,
      deadLetterQueue,
      consumer: this.consumerFunction,
      oldestMessageAgeThresholdSeconds: settings.oldestMessageAgeThresholdSeconds,
      consumerErrorsThreshold: settings.consumerErrorsThreshold,
      consumerThrottlesThreshold: settings.consumerThrottlesThreshold,
      transientFailures: resolveTransientFailuresAlarmSettings(props),
      circuitBreaker: props.circuitBreaker !== false,
    });
    this.transientFailuresAlarm = this.alarms.transientFailures;

    const breakerSettings = resolveBreakerSettings(props);
    if (breakerSettings) {
      const breaker = createConsumerBreaker(this, {
        settings: breakerSettings,
        eventSource: this.eventSource,
        topic: this.topic,
        topicKey,
        alarm: this.alarms.transientFailures,
        alarmName: this.alarmNames.transientFailures,
        runtime,
      });
      this.breakerController = breaker.controller;
      this.breakerProbeSchedule = breaker.probeSchedule;
      this.breakerConfig = breaker.config;
      // A message's own waits, between its attempts (the horizon repeats them for the messages ahead of it).
      const waits = settings.horizon.waitsSeconds
        .slice(0, Math.max(0, settings.maxAttempts - 1))
        .reduce((sum, wait) => sum + wait, 0);
      const reaction = breakerSettings.periodSeconds * breakerSettings.evaluationPeriods;
      if (waits < reaction) {
        Annotations.of(this).addWarningV2(
          'sqs-failsafe:breakerReaction',
          `The redelivery waits before the runtime dead-letters a message add up to at most ` +
            `${formatDuration(waits)}, less than the transient-failure alarm's ${formatDuration(reaction)} ` +
            '(circuitBreaker.period × evaluationPeriods): in an outage, messages can use up their attempts and be ' +
            'dead-lettered before the circuit breaker pauses the consumer. Lengthen the redelivery backoff, ' +
            'or make the alarm react faster.',
        );
      }
    }

    const redriveSettings = resolveRedriveSettings(props);
    if (props.redriveFunction) {
      this.redriveFunction = props.redriveFunction;
      wireRedriveFunction(this, {
        redriveFunction: props.redriveFunction,
        queue,
        deadLetterQueue,
        topic: this.topic,
        topicKey,
        alarms: this.alarms,
        healthAlarmName: this.alarmNames.consumerHealth,
      });
    } else if (redriveSettings) {
      const redrive = createRedriveFunction(this, {
        settings: redriveSettings,
        fifo: settings.fifo,
        queue,
        deadLetterQueue,
        topic: this.topic,
        topicKey,
        encryptionKey: props.encryptionKey,
        alarms: this.alarms,
        healthAlarmName: this.alarmNames.consumerHealth,
        deadLetterQueueAlarmName: this.alarmNames.deadLetterQueueNotEmpty,
        functionName: `${baseName}${REDRIVE_FUNCTION_SUFFIX}`,
        runtime,
      });
      this.redriveFunction = redrive.redriveFunction;
      this.redriveConfig = redrive.config;
      this.parkingQueue = redrive.parkingQueue;
      this.redriveSchedule = redrive.schedule;
    }

    for (const action of props.alarmActions ?? []) {
      for (const alarm of [this.alarms.consumerHealth, this.alarms.deadLetterQueueNotEmpty]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }

    this.dashboard = createConsumerDashboard(this, {
      dashboardName: props.dashboardName,
      queue,
      deadLetterQueue,
      consumer: this.consumerFunction,
      alarms: this.alarms,
    });

    Annotations.of(this).addInfo(
      `Retry horizon: ${describeRetryHorizon(settings.horizon)}; ` +
        `work queue retention ${formatDuration(settings.retentionSeconds)}, ` +
        `DLQ retention ${formatDuration(settings.deadLetterRetentionSeconds)}.`,
    );
  }
}
