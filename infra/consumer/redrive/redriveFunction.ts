import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RedriveConfig } from '../../../lib/config/redriveConfig.js';
import { createBundledFunction } from '../../bundling/bundledFunction.js';
import { packagedHandlerEntry } from '../../bundling/packagedEntry.js';
import { redriveConfigEnvironment } from '../environment/redriveConfigEnvironment.js';
import type { ConsumerAlarms } from '../monitoring/consumerAlarms.js';
import { grantDescribeAlarm, grantPublish, grantQueueActions } from '../permissions/grants.js';
import type { ResolvedRedriveSettings } from './redriveSettings.js';
import { addRedriveAlarmActions } from './redriveWiring.js';

export interface RedriveFunctionProps {
  readonly settings: ResolvedRedriveSettings;
  readonly fifo: boolean;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey | undefined;
  readonly encryptionKey: kms.IKey | undefined;
  readonly alarms: ConsumerAlarms;
  /** The alarms' names, which the function compares against the alarms that invoke it. */
  readonly healthAlarmName: string;
  readonly deadLetterQueueAlarmName: string;
  /** Fixed at synth time: the function may invoke itself, and its policy must name it without a reference. */
  readonly functionName: string;
  /** The Lambda runtime (the consumer's `runtime` prop). */
  readonly runtime: lambda.Runtime;
}

export interface RedriveResources {
  readonly redriveFunction: lambda.Function;
  /** What SQS_FAILSAFE_REDRIVE_CONFIG holds (with tokens). */
  readonly config: RedriveConfig;
  readonly parkingQueue: sqs.Queue | undefined;
  /** The rule that goes on with a drain under way (`continuation: 'schedule'` only). */
  readonly schedule: events.Rule | undefined;
}

/** How long the parking queue keeps a capped message: SQS's longest, since nothing moves it on. */
const PARKING_RETENTION = Duration.days(14);

/**
 * The redrive function (functions/redrive) and what it needs, in a `Redrive` scope: its configuration in one
 * variable, the parking queue when asked for, the alarm actions that trigger it, the schedule for
 * `continuation: 'schedule'`, and the permissions docs/redrive.md lists, each on its one resource.
 * Reserved concurrency 1: its state is one tag on the DLQ, and tag writes are last-writer-wins.
 */
export function createRedriveFunction(scope: Construct, props: RedriveFunctionProps): RedriveResources {
  const { settings, queue, deadLetterQueue, topic } = props;
  const redrive = new Construct(scope, 'Redrive');

  const parkingQueue = settings.parkingQueue
    ? new sqs.Queue(redrive, 'ParkingQueue', {
        fifo: props.fifo ? true : undefined,
        retentionPeriod: PARKING_RETENTION,
        enforceSSL: true,
        ...(props.encryptionKey
          ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
          : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      })
    : undefined;
  if (parkingQueue) {
    Validations.of(parkingQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'The parking queue is where the redrive loop guard sets aside messages redriven too often: it is ' +
        'the end of the line, read by an operator, and a DLQ of its own would only move them once more.',
    });
  }

  const config: RedriveConfig = {
    dlqUrl: deadLetterQueue.queueUrl,
    sourceQueueUrl: queue.queueUrl,
    topicArn: topic.topicArn,
    healthAlarmName: props.healthAlarmName,
    dlqAlarmName: props.deadLetterQueueAlarmName,
    maxMessagesPerRun: settings.maxMessagesPerRun,
    ratePerSecond: settings.ratePerSecond,
    cooldownSeconds: settings.cooldownSeconds,
    maxRedrivesPerMessage: settings.maxRedrivesPerMessage,
    ...(parkingQueue ? { parkingQueueUrl: parkingQueue.queueUrl } : {}),
    circuitBreaker: settings.circuitBreaker,
    continuation: settings.continuation,
    ...(settings.continuation === 'self-invoke' ? { maxContinuations: settings.maxContinuations } : {}),
    concurrency: settings.concurrency,
  };

  const redriveFunction = createBundledFunction(redrive, 'Function', {
    entry: packagedHandlerEntry('redrive'),
    runtime: props.runtime,
    purpose: 'redrive: moves dead-lettered messages back to the work queue',
    timeoutSeconds: settings.timeoutSeconds,
    memorySize: settings.memorySize,
    environment: redriveConfigEnvironment(scope, config),
    logRetention: logs.RetentionDays.ONE_MONTH,
    functionName: props.functionName,
    reservedConcurrentExecutions: 1,
  });

  // The DLQ: the engine's receive-send-delete loop, the queue checks, and the state tag.
  grantQueueActions(redriveFunction, deadLetterQueue, [
    'sqs:ReceiveMessage',
    'sqs:DeleteMessage',
    'sqs:ChangeMessageVisibility',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:ListQueueTags',
    'sqs:TagQueue',
  ]);
  // Where messages go: the work queue (the DLQ's only source) and the parking queue. GetQueueAttributes
  // checks their type against the DLQ's; GetQueueUrl resolves a DeadLetterQueueSourceArn.
  for (const destination of [queue, ...(parkingQueue ? [parkingQueue] : [])]) {
    grantQueueActions(redriveFunction, destination, [
      'sqs:SendMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    ]);
  }
  grantPublish(redriveFunction, [topic.topicArn], props.topicKey);
  // A DLQ alarm or the schedule does not redrive while the consumer is unhealthy: it reads that alarm.
  grantDescribeAlarm(redriveFunction, scope, props.healthAlarmName);
  if (settings.continuation === 'self-invoke') {
    // Built from the synth-time name: the function's own ARN attribute would make its role's policy depend
    // on the function, which already depends on that policy.
    const ownArn = Stack.of(scope).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: props.functionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    redriveFunction.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [ownArn] }),
    );
  }

  addRedriveAlarmActions(redriveFunction, props.alarms);
  const schedule =
    settings.continuation === 'schedule'
      ? new events.Rule(redrive, 'Schedule', {
          description:
            'sqs-failsafe redrive: goes on with a drain under way, or redrives once the cooldown has passed',
          schedule: events.Schedule.rate(Duration.seconds(settings.scheduleSeconds)),
          // No input: the function receives EventBridge's own "Scheduled Event".
          targets: [new targets.LambdaFunction(redriveFunction)],
        })
      : undefined;

  return { redriveFunction, config, parkingQueue, schedule };
}
