import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { EFFECTS_TABLE_ENV_VAR } from '../../functions/worker/effects.js';
import { formatDuration } from '../../lib/time/formatDuration.js';
import { AlertTopic } from '../alerts/AlertTopic.js';
import { FailsafeConsumer } from '../consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../consumer/failsafeConsumerProps.js';
import { grantTableItems } from '../consumer/permissions/grants.js';
import { InvalidConsumerSettingsError } from '../consumer/settings/InvalidConsumerSettingsError.js';
import { createKeyedTable } from '../tables/keyedTable.js';
import { exampleSettingsError } from './contextKeyOfProp.js';
import type { ExampleContext } from './exampleContext.js';
import { SOURCE_TASK_KIND, SOURCE_TOPIC_OUTPUT } from './sourceTopic.js';

export interface ExampleStackProps extends StackProps {
  readonly settings: ExampleContext;
}

/**
 * The example deployment: the worker (functions/worker) consuming a failure-handled queue, its DLQ, the
 * outcome topic, alarms and dashboard, the redrive function and the consumer circuit breaker, and on request
 * an idempotency table and a table counting the worker's effects, configured from cdk.json context.
 */
export class ExampleStack extends Stack {
  readonly consumer: FailsafeConsumer;

  constructor(scope: Construct, id: string, props: ExampleStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const encryptionKey = settings.customerManagedKey
      ? new kms.Key(this, 'Key', {
          description: 'sqs-failsafe example: queues, topic and tables',
          enableKeyRotation: true,
          // A demo stack: destroying it should not leave a key billed for months.
          removalPolicy: RemovalPolicy.DESTROY,
          pendingWindow: Duration.days(7),
        })
      : undefined;

    // For demos: the worker counts each task's effect here, so a duplicate delivery shows as a count of 2
    // without idempotency and stays at 1 with it.
    const effectsTable = settings.effectsTable
      ? // Demo counts: nothing to keep once the stack is gone (DESTROY).
        createKeyedTable(this, 'EffectsTable', { encryptionKey })
      : undefined;
    const environment: Record<string, string> = {
      ...(settings.faultInjection ? { WORKER_FAULT_INJECTION: 'enabled' } : {}),
      ...(effectsTable ? { [EFFECTS_TABLE_ENV_VAR]: effectsTable.tableName } : {}),
    };

    // Someone to tell: the consumer-health and DLQ alarms mail these addresses when they fire and clear.
    const alerts =
      settings.alarmEmails.length > 0
        ? new AlertTopic(this, 'Alerts', { emails: settings.alarmEmails })
        : undefined;

    // The fan-out topology: producers publish to a topic, and the worker's queue takes the tasks from it.
    const sourceTopic = settings.topology === 'fanout' ? createSourceTopic(this, encryptionKey) : undefined;

    this.consumer = exampleConsumer(this, {
      topicSubscriptions: sourceTopic
        ? [
            {
              topic: sourceTopic,
              filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: [SOURCE_TASK_KIND] }) },
            },
          ]
        : undefined,
      fifo: settings.fifo,
      retentionPeriod: Duration.days(settings.retentionDays),
      deadLetterRetentionPeriod: Duration.days(settings.deadLetterRetentionDays),
      timeout: Duration.seconds(settings.functionTimeoutSeconds),
      memorySize: settings.memorySize,
      batchSize: settings.batchSize,
      maxBatchingWindow:
        settings.maxBatchingWindowSeconds > 0
          ? Duration.seconds(settings.maxBatchingWindowSeconds)
          : undefined,
      maxConcurrency: settings.maxConcurrency,
      encryptionKey,
      environment,
      oldestMessageAgeThreshold:
        settings.oldestMessageAgeAlarmSeconds === undefined
          ? undefined
          : Duration.seconds(settings.oldestMessageAgeAlarmSeconds),
      consumerErrorsThreshold: settings.consumerErrorsAlarmThreshold,
      consumerThrottlesThreshold: settings.consumerThrottlesAlarmThreshold,
      alarmActions: alerts ? [alerts.action] : undefined,
      failsafe: {
        redeliveryBackoff: { scheduleSeconds: settings.redeliveryScheduleSeconds },
        deadLetter: settings.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: settings.maxAgeSeconds },
        notifications: { events: settings.notificationEvents, includeBody: settings.includeBody },
      },
      redrive: settings.redrive
        ? {
            cooldown: Duration.seconds(settings.redriveCooldownSeconds),
            maxMessagesPerRun: settings.redriveMaxMessagesPerRun,
            ratePerSecond: settings.redriveRatePerSecond,
            maxRedrivesPerMessage: settings.redriveMaxRedrivesPerMessage,
            continuation: settings.redriveContinuation,
            parkingQueue: settings.redriveParkingQueue,
          }
        : false,
      circuitBreaker: settings.circuitBreaker
        ? {
            threshold: settings.breakerThreshold,
            failureRatePercent: settings.breakerFailureRatePercent,
            period: Duration.seconds(settings.breakerPeriodSeconds),
            evaluationPeriods: settings.breakerEvaluationPeriods,
            datapointsToAlarm: settings.breakerDatapointsToAlarm,
            cooldown: Duration.seconds(settings.breakerCooldownSeconds),
            halfOpenConcurrency: settings.breakerHalfOpenConcurrency,
            probeInterval: Duration.seconds(settings.breakerProbeSeconds),
          }
        : false,
      idempotency: settings.idempotency
        ? {
            keyPath: settings.idempotencyKeyPath,
            expiresAfter: Duration.seconds(settings.idempotencyExpiresAfterSeconds),
          }
        : undefined,
    });
    if (effectsTable) {
      // The counter is one UpdateItem (ADD); GetItem lets a demo read a count back through the same role.
      grantTableItems(this.consumer.consumerFunction, effectsTable, [
        'dynamodb:UpdateItem',
        'dynamodb:GetItem',
      ]);
    }

    new CfnOutput(this, 'QueueUrl', { description: 'Send tasks here', value: this.consumer.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.consumer.deadLetterQueue.queueUrl });
    if (sourceTopic) {
      new CfnOutput(this, SOURCE_TOPIC_OUTPUT, {
        description: `Publish tasks here, with the message attribute kind = ${SOURCE_TASK_KIND}`,
        value: sourceTopic.topicArn,
      });
    }
    new CfnOutput(this, 'TopicArn', { description: 'Outcome events', value: this.consumer.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.consumer.dashboard.dashboardName}`,
    });
    if (alerts) {
      new CfnOutput(this, 'AlertTopicArn', {
        description: 'Alarm notifications; each address must confirm its subscription first',
        value: alerts.topic.topicArn,
      });
    }
    new CfnOutput(this, 'RetryHorizon', {
      description: 'The longest a message is retried before it is dead-lettered',
      value: formatDuration(this.consumer.retryHorizon.totalSeconds),
    });
    const { redriveFunction, parkingQueue, breakerController, transientFailuresAlarm, idempotencyTable } =
      this.consumer;
    if (redriveFunction) {
      new CfnOutput(this, 'RedriveFunctionName', {
        description: 'Invoke by hand with {"dryRun": true} to see what a redrive would move',
        value: redriveFunction.functionName,
      });
    }
    if (parkingQueue) {
      new CfnOutput(this, 'ParkingQueueUrl', {
        description: 'Messages redriven too often',
        value: parkingQueue.queueUrl,
      });
    }
    new CfnOutput(this, 'TransientFailuresAlarmName', {
      description:
        'In ALARM while a dependency is down: holds back redrives, and pauses the consumer with the breaker',
      value: transientFailuresAlarm.alarmName,
    });
    if (breakerController) {
      new CfnOutput(this, 'BreakerControllerName', { value: breakerController.functionName });
    }
    if (idempotencyTable) {
      new CfnOutput(this, 'IdempotencyTableName', { value: idempotencyTable.tableName });
    }
    if (effectsTable) {
      new CfnOutput(this, 'EffectsTableName', {
        description: 'How often each task had its effect (item id = task id)',
        value: effectsTable.tableName,
      });
    }
  }
}

/** The consumer, its refusal reported by the context keys that set the refused props. */
function exampleConsumer(scope: Construct, props: FailsafeConsumerProps): FailsafeConsumer {
  try {
    return new FailsafeConsumer(scope, 'Worker', props);
  } catch (error) {
    if (error instanceof InvalidConsumerSettingsError) throw exampleSettingsError(error);
    throw error;
  }
}

/** The producers' topic of the fan-out topology: TLS required, encrypted like the consumer's own topic. */
function createSourceTopic(scope: Construct, encryptionKey: kms.IKey | undefined): sns.Topic {
  const topic = new sns.Topic(scope, 'SourceTopic', { enforceSSL: true, masterKey: encryptionKey });
  if (encryptionKey === undefined) {
    // SNS's AWS managed key, set by alias (the L2 takes only an IKey); its policy lets this account publish.
    (topic.node.defaultChild as sns.CfnTopic).kmsMasterKeyId = 'alias/aws/sns';
  }
  return topic;
}
