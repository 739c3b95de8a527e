import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { FailsafeConsumer } from '../consumer/FailsafeConsumer.js';
import { formatDuration } from '../consumer/formatDuration.js';
import type { ExampleContext } from './exampleContext.js';

export interface ExampleStackProps extends StackProps {
  readonly settings: ExampleContext;
}

/**
 * The example deployment: the worker (functions/worker) consuming a failure-handled queue, its DLQ, the
 * outcome topic, alarms and dashboard, configured from cdk.json context.
 */
export class ExampleStack extends Stack {
  readonly consumer: FailsafeConsumer;

  constructor(scope: Construct, id: string, props: ExampleStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const encryptionKey = settings.customerManagedKey
      ? new kms.Key(this, 'Key', {
          description: 'sqs-failsafe example: queues and topic',
          enableKeyRotation: true,
          // A demo stack: destroying it should not leave a key billed for months.
          removalPolicy: RemovalPolicy.DESTROY,
          pendingWindow: Duration.days(7),
        })
      : undefined;

    this.consumer = new FailsafeConsumer(this, 'Worker', {
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
      environment: settings.faultInjection ? { WORKER_FAULT_INJECTION: 'enabled' } : {},
      oldestMessageAgeThreshold:
        settings.oldestMessageAgeAlarmSeconds === undefined
          ? undefined
          : Duration.seconds(settings.oldestMessageAgeAlarmSeconds),
      consumerErrorsThreshold: settings.consumerErrorsAlarmThreshold,
      consumerThrottlesThreshold: settings.consumerThrottlesAlarmThreshold,
      failsafe: {
        redeliveryBackoff: { scheduleSeconds: settings.redeliveryScheduleSeconds },
        deadLetter: settings.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: settings.maxAgeSeconds },
        notifications: { events: settings.notificationEvents, includeBody: settings.includeBody },
      },
      // EXTENSION POINT (redrive issue): once functions/redrive/ exists, bundle it here and pass it, e.g.
      //   redriveFunction: new lambda.Function(this, 'Redrive', { code: bundledCode(packagedHandlerEntry('redrive')), ... }),
      // and the construct wires it to the DLQ-not-empty and consumer-health alarms.
    });

    new CfnOutput(this, 'QueueUrl', { description: 'Send tasks here', value: this.consumer.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.consumer.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'TopicArn', { description: 'Outcome events', value: this.consumer.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.consumer.dashboard.dashboardName}`,
    });
    new CfnOutput(this, 'RetryHorizon', {
      description: 'The longest a message is retried before it is dead-lettered',
      value: formatDuration(this.consumer.retryHorizon.totalSeconds),
    });
  }
}
