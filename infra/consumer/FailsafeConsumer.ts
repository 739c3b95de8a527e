import { Annotations, Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONFIG_ENV_VAR, type FailsafeConfig } from '../../lib/config/failsafeConfig.js';
import { packagedHandlerEntry } from '../bundling/packagedEntry.js';
import { createBundledFunction } from './bundledFunction.js';
import { type ConsumerAlarms, createConsumerAlarms } from './consumerAlarms.js';
import { createConsumerDashboard } from './consumerDashboard.js';
import { createConsumerQueues } from './consumerQueues.js';
import { CONSUMER_DEFAULTS, resolveConsumerSettings } from './consumerSettings.js';
import { consumerSettingsProblems } from './consumerSettingsProblems.js';
import { createConsumerTopic } from './consumerTopic.js';
import { failsafeConfigEnvironment } from './failsafeConfigEnvironment.js';
import type { FailsafeConsumerProps } from './failsafeConsumerProps.js';
import { formatDuration } from './formatDuration.js';
import { grantPublish, grantSendMessage } from './grants.js';
import { InvalidConsumerSettingsError } from './InvalidConsumerSettingsError.js';
import { wireRedriveFunction } from './redriveWiring.js';
import { describeRetryHorizon, type RetryHorizon } from './retryHorizon.js';

/**
 * An SQS work queue with a failure-handled Lambda consumer: the queue and its DLQ (redrive policy,
 * RedriveAllowPolicy), the consumer with partial batch responses, the failure-handling configuration in
 * one environment variable, a topic for outcome events, least-privilege grants, alarms and a dashboard.
 *
 * Refuses to synthesize settings that lose messages or that AWS rejects (every problem listed at once,
 * in an {@link InvalidConsumerSettingsError}), and prints the retry horizon as an info annotation.
 *
 * Redrive extension point: give `redriveFunction` and it is invoked by the DLQ-not-empty alarm and by the
 * consumer-health alarm's return to OK, may consume the DLQ, send to the work queue and publish to the
 * topic, and receives in its environment (names in `REDRIVE_ENVIRONMENT`):
 * - `SQS_FAILSAFE_SOURCE_QUEUE_URL`, `SQS_FAILSAFE_SOURCE_QUEUE_ARN`: the work queue;
 * - `SQS_FAILSAFE_DLQ_URL`, `SQS_FAILSAFE_DLQ_ARN`: the DLQ;
 * - `SQS_FAILSAFE_TOPIC_ARN`: the outcome topic.
 *
 * @example
 * const orders = new FailsafeConsumer(this, 'Orders', {
 *   entry: 'src/orders/handler.ts',
 *   failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60, 300, 900] } }, // dead-letters on receive 5; maxReceiveCount 6
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
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;
  /** The longest a message can be retried before it is dead-lettered (see {@link RetryHorizon}). */
  readonly retryHorizon: RetryHorizon;
  /** The failure-handling configuration written into the consumer's `SQS_FAILSAFE_CONFIG` (with tokens). */
  readonly failsafeConfig: FailsafeConfig;

  constructor(scope: Construct, id: string, props: FailsafeConsumerProps = {}) {
    super(scope, id);
    const settings = resolveConsumerSettings(props);
    const problems = consumerSettingsProblems(props, settings);
    if (problems.length > 0) throw new InvalidConsumerSettingsError(this.node.path, problems);
    this.retryHorizon = settings.horizon;

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

    const { deadLetter, notifications, ...runtimeSettings } = props.failsafe ?? {};
    this.failsafeConfig = {
      ...runtimeSettings,
      redeliveryBackoff: settings.redeliveryBackoff,
      deadLetter: {
        ...deadLetter,
        queueUrl: deadLetterQueue.queueUrl,
        maxReceiveCount: settings.deadLetterReceiveCount,
      },
      notifications: { ...notifications, topicArn: this.topic.topicArn },
    };
    const configEnvironment = failsafeConfigEnvironment(this, this.failsafeConfig);

    if (props.consumerFunction) {
      this.consumerFunction = props.consumerFunction;
      this.consumerFunction.addEnvironment(CONFIG_ENV_VAR, configEnvironment[CONFIG_ENV_VAR] as string);
    } else {
      this.consumerFunction = createBundledFunction(this, 'Consumer', {
        entry: props.entry ?? packagedHandlerEntry('worker'),
        purpose: 'consumer: reads its queue, dead-letters, publishes outcome events',
        timeoutSeconds: settings.functionTimeoutSeconds,
        memorySize: props.memorySize ?? CONSUMER_DEFAULTS.memorySize,
        environment: { ...props.environment, ...configEnvironment },
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
    grantPublish(this.consumerFunction, [this.topic.topicArn], topicKey);
    grantPublish(this.consumerFunction, notifications?.callbackTopicAllowList ?? []);

    this.alarms = createConsumerAlarms(this, {
      queue,
      deadLetterQueue,
      consumer: this.consumerFunction,
      oldestMessageAgeThresholdSeconds: settings.oldestMessageAgeThresholdSeconds,
      consumerErrorsThreshold: settings.consumerErrorsThreshold,
      consumerThrottlesThreshold: settings.consumerThrottlesThreshold,
    });
    this.dashboard = createConsumerDashboard(this, {
      dashboardName: props.dashboardName,
      queue,
      deadLetterQueue,
      consumer: this.consumerFunction,
      alarms: this.alarms,
    });

    if (props.redriveFunction) {
      wireRedriveFunction(this, {
        redriveFunction: props.redriveFunction,
        queue,
        deadLetterQueue,
        topic: this.topic,
        topicKey,
        alarms: this.alarms,
      });
    }

    Annotations.of(this).addInfo(
      `Retry horizon: ${describeRetryHorizon(settings.horizon)}; ` +
        `work queue retention ${formatDuration(settings.retentionSeconds)}, ` +
        `DLQ retention ${formatDuration(settings.deadLetterRetentionSeconds)}.`,
    );
  }
}
