import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { RedriveConfig } from '../../../lib/config/redriveConfig.js';
import { createBundledFunction } from '../../bundling/bundledFunction.js';
import { packagedHandlerEntry } from '../../bundling/packagedEntry.js';
import { redriveConfigEnvironment } from '../environment/redriveConfigEnvironment.js';
import type { ConsumerAlarms } from '../monitoring/consumerAlarms.js';
import { grantDescribeAlarm, grantPublish, grantQueueActions } from '../permissions/grants.js';
import { redriveFunctionConfig } from './redriveFunctionConfig.js';
import type { ResolvedRedriveSettings } from './redriveSettings.js';
import { addRedriveAlarmActions } from './redriveWiring.js';

export interface RedriveFunctionProps {
  readonly settings: ResolvedRedriveSettings;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** The parking queue (createParkingQueue), with `redrive.parkingQueue`. */
  readonly parkingQueue: sqs.IQueue | undefined;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey | undefined;
  readonly alarms: ConsumerAlarms;
  /** The alarms' names, which the function compares against the alarms that invoke it. */
  readonly healthAlarmName: string;
  readonly deadLetterQueueAlarmName: string;
  /** Fixed at synth time: the function may invoke itself, and its policy must name it without a reference. */
  readonly functionName: string;
  /** The Lambda runtime (the consumer's `runtime` prop). */
  readonly runtime: lambda.Runtime;
  /** X-Ray active tracing (the `tracing` prop). */
  readonly tracing: boolean;
}

export interface RedriveResources {
  readonly redriveFunction: lambda.Function;
  /** What SQS_FAILSAFE_REDRIVE_CONFIG holds (with tokens). */
  readonly config: RedriveConfig;
  /**
   * The rule that invokes the function every `scheduleInterval`: it goes on with a drain under way
   * (`continuation: 'schedule'`), and looks again at a DLQ alarm whose trigger was skipped.
   */
  readonly schedule: events.Rule;
}

/**
 * The redrive function (functions/redrive) and what it needs, in the given scope (the consumer's `Redrive`):
 * its configuration in one variable, the alarm actions that trigger it, the schedule that goes on with drains
 * and looks again at a DLQ alarm whose trigger was skipped (an alarm acts only when its state changes:
 * docs/aws-semantics.md#alarm-actions-run-on-state-changes), and the permissions docs/redrive.md lists, each
 * on its one resource. Reserved concurrency 1: its state is one tag on the DLQ, and tag writes are
 * last-writer-wins.
 */
export function createRedriveFunction(redrive: Construct, props: RedriveFunctionProps): RedriveResources {
  const { settings, queue, deadLetterQueue, topic, parkingQueue } = props;

  const config = redriveFunctionConfig(settings, {
    deadLetterQueueUrl: deadLetterQueue.queueUrl,
    sourceQueueUrl: queue.queueUrl,
    topicArn: topic.topicArn,
    parkingQueueUrl: parkingQueue?.queueUrl,
    healthAlarmName: props.healthAlarmName,
    deadLetterQueueAlarmName: props.deadLetterQueueAlarmName,
  });

  const redriveFunction = createBundledFunction(redrive, 'Function', {
    entry: packagedHandlerEntry('redrive'),
    runtime: props.runtime,
    purpose: 'redrive: moves dead-lettered messages back to the work queue',
    timeoutSeconds: settings.timeoutSeconds,
    memorySize: settings.memorySize,
    environment: redriveConfigEnvironment(redrive, config),
    logRetention: logs.RetentionDays.ONE_MONTH,
    functionName: props.functionName,
    reservedConcurrentExecutions: 1,
    tracing: props.tracing,
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
  // checks their type against the DLQ's, and that the work queue's redrive policy names this DLQ;
  // GetQueueUrl resolves a DeadLetterQueueSourceArn.
  for (const destination of [queue, ...(parkingQueue ? [parkingQueue] : [])]) {
    grantQueueActions(redriveFunction, destination, [
      'sqs:SendMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    ]);
  }
  grantPublish(redriveFunction, [topic.topicArn], props.topicKey);
  // A DLQ alarm or the schedule does not redrive while the consumer is unhealthy, and the schedule redrives
  // only while the DLQ alarm is still in ALARM: the function reads both alarms.
  grantDescribeAlarm(redriveFunction, redrive, props.healthAlarmName);
  grantDescribeAlarm(redriveFunction, redrive, props.deadLetterQueueAlarmName);
  if (settings.continuation === 'self-invoke') {
    // Built from the synth-time name: the function's own ARN attribute would make its role's policy depend
    // on the function, which already depends on that policy.
    const ownArn = Stack.of(redrive).formatArn({
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
  const schedule = new events.Rule(redrive, 'Schedule', {
    description:
      settings.continuation === 'schedule'
        ? 'sqs-failsafe redrive: goes on with a drain under way, or redrives once the cooldown has passed'
        : 'sqs-failsafe redrive: redrives when the DLQ alarm is still in ALARM after a trigger the cooldown skipped',
    schedule: events.Schedule.rate(Duration.seconds(settings.scheduleSeconds)),
    // No input: the function receives EventBridge's own "Scheduled Event".
    targets: [new targets.LambdaFunction(redriveFunction)],
  });

  return { redriveFunction, config, schedule };
}
