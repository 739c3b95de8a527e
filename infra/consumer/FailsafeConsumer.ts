import { Annotations, type CustomResource, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BATCH_CONFIG_ENV_VAR, type BatchConfig } from '../../lib/config/batchConfig.js';
import type { ConsumerBreakerConfig } from '../../lib/config/consumerBreakerConfig.js';
import type { RedriveConfig } from '../../lib/config/redriveConfig.js';
import { describeRetryHorizon, type RetryHorizon } from '../../lib/setupRules/retryHorizon.js';
import { ALARM_RULES } from '../../lib/setupRules/rules/alarmRules.js';
import { checkConsumerSetup, SETUP_RULES } from '../../lib/setupRules/setupRules.js';
import { formatDuration } from '../../lib/time/formatDuration.js';
import { createBundledFunction } from '../bundling/bundledFunction.js';
import { DEFAULT_NODE_RUNTIME } from '../bundling/nodeRuntime.js';
import { packagedHandlerEntry } from '../bundling/packagedEntry.js';
import { ATTEMPT_LEDGER_ACTIONS, createAttemptLedgerTable } from './attempts/attemptLedgerTable.js';
import { breakerControllerConfigProblems } from './breaker/breakerControllerConfig.js';
import {
  breakerSettingsProblems,
  resolveBreakerSettings,
  resolveTransientFailuresAlarmSettings,
} from './breaker/breakerSettings.js';
import { createConsumerBreaker } from './breaker/consumerBreaker.js';
import { batchConfigEnvironment } from './environment/batchConfigEnvironment.js';
import { createAdoptedQueuesCheck } from './existing/adoptedQueuesCheck.js';
import { existingQueueProblems } from './existing/existingQueueProblems.js';
import type { FailsafeConsumerProps } from './failsafeConsumerProps.js';
import { idempotencySettingsProblems } from './idempotency/idempotencySettings.js';
import { createIdempotencyTable, IDEMPOTENCY_TABLE_ACTIONS } from './idempotency/idempotencyTable.js';
import { checkAlarmsAtSynthesis, type WatchedAlarm } from './monitoring/alarmSetupCheck.js';
import { type ConsumerAlarms, consumerAlarmName, createConsumerAlarms } from './monitoring/consumerAlarms.js';
import { createConsumerDashboard } from './monitoring/consumerDashboard.js';
import { grantPublish, grantSendMessage, grantTableItems } from './permissions/grants.js';
import { createConsumerQueues } from './queues/consumerQueues.js';
import { createParkingQueue } from './queues/parkingQueue.js';
import { createRedriveFunction } from './redrive/redriveFunction.js';
import { redriveFunctionConfigProblems } from './redrive/redriveFunctionConfig.js';
import { redriveSettingsProblems, resolveRedriveSettings } from './redrive/redriveSettings.js';
import { wireRedriveFunction } from './redrive/redriveWiring.js';
import { consumerBatchConfig } from './settings/consumerBatchConfig.js';
import { consumerConfigProblems } from './settings/consumerConfigProblems.js';
import { CONSUMER_DEFAULTS, resolveConsumerSettings } from './settings/consumerSettings.js';
import { consumerSettingsProblems } from './settings/consumerSettingsProblems.js';
import { describeConsumerSetup } from './settings/describeConsumerSetup.js';
import { InvalidConsumerSettingsError } from './settings/InvalidConsumerSettingsError.js';
import { mergeProblems } from './settings/mergeProblems.js';
import { resolveProvisionedPollers } from './settings/provisionedPollers.js';
import { findingAsProblem, findingAsWarning } from './settings/setupFindings.js';
import { createQueueSources } from './sources/queueSources.js';
import { queueSourcesProblems } from './sources/queueSourcesProblems.js';
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
  /** The work queue: the one the construct created, or `existingQueue.queue`. */
  readonly queue: sqs.IQueue;
  /** The DLQ of the work queue: the one the construct created, or `existingQueue.deadLetterQueue`. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The topic outcome events are published to. */
  readonly topic: sns.ITopic;
  /** The work queue's subscriptions to `topicSubscriptions`, in their order. */
  readonly topicSubscriptions: readonly sns.Subscription[];
  /** The consumer function. */
  readonly consumerFunction: lambda.Function;
  /**
   * With `existingQueue`: the custom resource that checks the existing queues when the stack deploys (unless
   * `existingQueue.checkAtDeploy` is false).
   */
  readonly queueCheck?: CustomResource;
  /** The SQS event source of the consumer (ReportBatchItemFailures on). */
  readonly eventSource: SqsEventSource;
  /** The alarms; add actions to them (`addAlarmAction`) to be told. */
  readonly alarms: ConsumerAlarms;
  /**
   * The alarms' names, fixed at synth time (plain strings, where `alarm.alarmName` is a reference): what a
   * function the alarms invoke can be told without a dependency cycle.
   */
  readonly alarmNames: Readonly<
    Record<Exclude<keyof ConsumerAlarms, 'parkingQueueNotEmpty'> | 'transientFailures', string> & {
      /** With `redrive.parkingQueue`. */
      readonly parkingQueueNotEmpty?: string;
    }
  >;
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
  /**
   * The rule that invokes the created redrive function every `redrive.scheduleInterval`: it goes on with a
   * drain (`continuation: 'schedule'`) and looks again at a DLQ alarm whose trigger was skipped.
   */
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
    // Derived from the construct path (the stack's name first), so unique in the account and region, and
    // fixed at synth time: the alarms and the redrive function are named after it, and the functions'
    // configurations, validated below, hold the alarm names.
    const baseName = Names.uniqueResourceName(this, {
      maxLength: 64 - REDRIVE_FUNCTION_SUFFIX.length,
      separator: '-',
    });
    const alarmName = (alarm: string) => consumerAlarmName(baseName, alarm);
    const redriveSettings = resolveRedriveSettings(props);
    this.alarmNames = {
      deadLetterQueueNotEmpty: alarmName('DeadLetterQueueNotEmpty'),
      ...(redriveSettings?.parkingQueue ? { parkingQueueNotEmpty: alarmName('ParkingQueueNotEmpty') } : {}),
      oldestMessageAge: alarmName('OldestMessageAge'),
      consumerErrors: alarmName('ConsumerErrors'),
      consumerThrottles: alarmName('ConsumerThrottles'),
      consumerHealth: alarmName('ConsumerHealth'),
      transientFailures: alarmName('TransientFailures'),
    };

    // Every problem at once, each setting once (mergeProblems): the props' own ranges, then what each
    // function would refuse at cold start (its configuration schema, run on what is written for it), then the
    // setup rules that relate resources (lib/setupRules, the rules `sqs-failsafe doctor` applies too).
    const setup = describeConsumerSetup(this, props, settings);
    const findings = checkConsumerSetup(setup, CONSTRUCTION_RULES);
    const problems = mergeProblems(
      [
        ...consumerSettingsProblems(props, settings),
        ...redriveSettingsProblems(props, settings.fifo),
        ...breakerSettingsProblems(props),
        ...idempotencySettingsProblems(props),
        ...queueSourcesProblems(props, settings.fifo),
        ...existingQueueProblems(props, Stack.of(this).region),
      ],
      [
        ...consumerConfigProblems(props, settings),
        ...redriveFunctionConfigProblems(props, settings.fifo, {
          health: this.alarmNames.consumerHealth,
          deadLetterQueue: this.alarmNames.deadLetterQueueNotEmpty,
        }),
        ...breakerControllerConfigProblems(props, this.alarmNames.transientFailures),
      ],
      findings.filter((finding) => finding.severity === 'error').map(findingAsProblem),
    );
    if (problems.length > 0) throw new InvalidConsumerSettingsError(this.node.path, problems);
    for (const finding of findings.filter((each) => each.severity === 'warning')) {
      Annotations.of(this).addWarningV2(`sqs-failsafe:${finding.rule}`, findingAsWarning(finding));
    }
    this.retryHorizon = settings.horizon;
    const runtime = props.runtime ?? DEFAULT_NODE_RUNTIME;
    const tracing = props.tracing ?? false;
    const deadLetterRemovalPolicy = props.deadLetterRemovalPolicy ?? RemovalPolicy.RETAIN;

    const { queue, deadLetterQueue } =
      props.existingQueue ??
      createConsumerQueues(this, {
        settings,
        queueName: props.queueName,
        deadLetterQueueName: props.deadLetterQueueName,
        contentBasedDeduplication: props.contentBasedDeduplication,
        encryptionKey: props.encryptionKey,
        deadLetterRemovalPolicy,
      });
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    const redriveScope = redriveSettings ? new Construct(this, 'Redrive') : undefined;
    if (redriveScope && redriveSettings?.parkingQueue) {
      this.parkingQueue = createParkingQueue(redriveScope, {
        fifo: settings.fifo,
        encryptionKey: props.encryptionKey,
        removalPolicy: deadLetterRemovalPolicy,
      });
    }
    this.topicSubscriptions = createQueueSources(this, {
      queue,
      encryptionKey: props.encryptionKey,
      topicSubscriptions: props.topicSubscriptions ?? [],
      eventRules: props.eventRules ?? [],
    }).subscriptions;

    const topicKey: kms.IKey | undefined = props.topic ? props.topic.masterKey : props.encryptionKey;
    this.topic = props.topic ?? createConsumerTopic(this, props.encryptionKey);

    if (props.idempotency !== undefined) {
      this.idempotencyTable = createIdempotencyTable(this, {
        encryptionKey: props.encryptionKey,
        removalPolicy: props.idempotency.removalPolicy,
      });
    }

    this.attemptLedgerTable = createAttemptLedgerTable(this, props.encryptionKey);

    this.failsafeConfig = consumerBatchConfig(props, settings, {
      deadLetterQueueUrl: deadLetterQueue.queueUrl,
      topicArn: this.topic.topicArn,
      attemptLedgerTableName: this.attemptLedgerTable.tableName,
      idempotencyTableName: this.idempotencyTable?.tableName,
    });
    const consumerEnvironment = batchConfigEnvironment(this, this.failsafeConfig);

    if (props.consumerFunction) {
      this.consumerFunction = props.consumerFunction;
      this.consumerFunction.addEnvironment(
        BATCH_CONFIG_ENV_VAR,
        consumerEnvironment[BATCH_CONFIG_ENV_VAR] as string,
      );
      if (tracing && !tracesActively(props.consumerFunction)) {
        Annotations.of(this).addWarningV2(
          'sqs-failsafe:consumerTracing',
          'tracing = true: the construct turns on X-Ray for the functions it creates; the consumerFunction you ' +
            'gave keeps its own setting, which is not active. Give it tracing: lambda.Tracing.ACTIVE.',
        );
      }
    } else {
      this.consumerFunction = createBundledFunction(this, 'Consumer', {
        entry: props.entry ?? packagedHandlerEntry('worker'),
        runtime,
        purpose: 'consumer: reads its queue, dead-letters, publishes outcome events',
        timeoutSeconds: settings.functionTimeoutSeconds,
        memorySize: props.memorySize ?? CONSUMER_DEFAULTS.memorySize,
        environment: { ...props.environment, ...consumerEnvironment },
        logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        tracing,
      });
    }

    // The event source grants the consumer what polling needs: receive, delete, change visibility (the
    // redelivery backoff), get attributes, and kms:Decrypt with a customer managed key.
    const provisionedPollers = resolveProvisionedPollers(props.provisionedPollers);
    this.eventSource = new SqsEventSource(queue, {
      batchSize: settings.batchSize,
      maxBatchingWindow:
        settings.maxBatchingWindowSeconds > 0
          ? Duration.seconds(settings.maxBatchingWindowSeconds)
          : undefined,
      maxConcurrency: props.maxConcurrency,
      reportBatchItemFailures: true,
      ...(provisionedPollers
        ? {
            provisionedPollerConfig: {
              minimumPollers: provisionedPollers.minimum,
              maximumPollers: provisionedPollers.maximum,
            },
          }
        : {}),
      ...(props.mappingMetrics === true
        ? { metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] } }
        : {}),
    });
    this.consumerFunction.addEventSource(this.eventSource);
    if (props.existingQueue !== undefined && props.existingQueue.checkAtDeploy !== false) {
      this.queueCheck = createAdoptedQueuesCheck(this, {
        existing: props.existingQueue,
        props,
        settings,
        setup,
        consumer: this.consumerFunction,
        runtime,
      });
    }
    grantSendMessage(this.consumerFunction, deadLetterQueue);
    // Redelivery copies go back to the work queue (standard queues only: FIFO messages stay in place).
    if (!settings.fifo) grantSendMessage(this.consumerFunction, queue);
    grantTableItems(this.consumerFunction, this.attemptLedgerTable, ATTEMPT_LEDGER_ACTIONS);
    grantPublish(this.consumerFunction, [this.topic.topicArn], topicKey);
    grantPublish(this.consumerFunction, props.failsafe?.notifications?.callbackTopicAllowList ?? []);
    if (this.idempotencyTable) {
      grantTableItems(this.consumerFunction, this.idempotencyTable, IDEMPOTENCY_TABLE_ACTIONS);
    }

    this.alarms = createConsumerAlarms(this, {
      alarmNamePrefix: baseName,
      queue,
      deadLetterQueue,
      parkingQueue: this.parkingQueue,
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
        tracing,
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
    } else if (redriveScope && redriveSettings) {
      const redrive = createRedriveFunction(redriveScope, {
        settings: redriveSettings,
        queue,
        deadLetterQueue,
        parkingQueue: this.parkingQueue,
        topic: this.topic,
        topicKey,
        alarms: this.alarms,
        healthAlarmName: this.alarmNames.consumerHealth,
        deadLetterQueueAlarmName: this.alarmNames.deadLetterQueueNotEmpty,
        functionName: `${baseName}${REDRIVE_FUNCTION_SUFFIX}`,
        runtime,
        tracing,
      });
      this.redriveFunction = redrive.redriveFunction;
      this.redriveConfig = redrive.config;
      this.redriveSchedule = redrive.schedule;
    }

    // One page when trouble starts and one when it is over: the health, DLQ and parking alarms, ALARM and OK.
    const paged = [
      this.alarms.consumerHealth,
      this.alarms.deadLetterQueueNotEmpty,
      this.alarms.parkingQueueNotEmpty,
    ];
    for (const action of props.alarmActions ?? []) {
      for (const alarm of paged) {
        alarm?.addAlarmAction(action);
        alarm?.addOkAction(action);
      }
    }
    checkAlarmsAtSynthesis(this, setup, () => watchedAlarms(this.alarms));

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

/** The rules applied while the construct is built; the rules on alarms wait for synthesis (alarmSetupCheck). */
const CONSTRUCTION_RULES = SETUP_RULES.filter((rule) => !ALARM_RULES.includes(rule));

/** The consumer's alarms and what each watches, for the rules on alarms. */
function watchedAlarms(alarms: ConsumerAlarms): WatchedAlarm[] {
  return [
    { alarm: alarms.deadLetterQueueNotEmpty, watches: 'dead-letter-queue' },
    ...(alarms.parkingQueueNotEmpty
      ? [{ alarm: alarms.parkingQueueNotEmpty, watches: 'parking-queue' as const }]
      : []),
    { alarm: alarms.oldestMessageAge, watches: 'work-queue' },
    { alarm: alarms.consumerErrors, watches: 'consumer' },
    { alarm: alarms.consumerThrottles, watches: 'consumer' },
    { alarm: alarms.transientFailures, watches: 'consumer' },
    { alarm: alarms.consumerHealth, watches: 'consumer' },
  ];
}

/** Whether a function has X-Ray active tracing (its CloudFormation resource says so). */
function tracesActively(fn: lambda.IFunction): boolean {
  const resource = fn.node.defaultChild as lambda.CfnFunction | undefined;
  const tracingConfig = resource?.tracingConfig as lambda.CfnFunction.TracingConfigProperty | undefined;
  return tracingConfig?.mode === lambda.Tracing.ACTIVE;
}
