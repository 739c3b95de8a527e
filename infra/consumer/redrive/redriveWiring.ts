import { Annotations } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { REDRIVE_ADDRESS_VARIABLES } from '../environment/redriveAddressVariables.js';
import type { ConsumerAlarms } from '../monitoring/consumerAlarms.js';
import {
  grantConsumeMessages,
  grantDescribeAlarm,
  grantPublish,
  grantSendMessage,
} from '../permissions/grants.js';

export interface RedriveWiringProps {
  readonly redriveFunction: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey | undefined;
  readonly alarms: ConsumerAlarms;
  /** The consumer-health alarm's synth-time name, which the function reads before a DLQ-alarm redrive. */
  readonly healthAlarmName: string;
}

/**
 * The two triggers of a redrive: the DLQ-not-empty alarm going to ALARM and the consumer-health alarm
 * returning to OK invoke the function directly (alarm actions, docs/aws-semantics.md#alarm-lambda-action),
 * each through a resource policy for lambda.alarms.cloudwatch.amazonaws.com scoped to that alarm's ARN and
 * the account.
 */
export function addRedriveAlarmActions(redrive: lambda.IFunction, alarms: ConsumerAlarms): void {
  // Two alarms invoke one function: unique permission ids keep their resource policies apart.
  const action = new cloudwatchActions.LambdaAction(redrive, { useUniquePermissionId: true });
  alarms.deadLetterQueueNotEmpty.addAlarmAction(action);
  alarms.consumerHealth.addOkAction(action);
}

/**
 * Connects a redrive function the user brings (`redriveFunction`): the alarm actions above, and it may
 * consume the DLQ, send to the work queue and publish to the topic, with their addresses in its
 * environment (REDRIVE_ADDRESS_VARIABLES). The rest of its configuration is the user's.
 */
export function wireRedriveFunction(scope: Construct, props: RedriveWiringProps): void {
  const { redriveFunction: redrive, queue, deadLetterQueue, topic, alarms } = props;
  addRedriveAlarmActions(redrive, alarms);

  grantConsumeMessages(redrive, deadLetterQueue);
  grantSendMessage(redrive, queue);
  grantPublish(redrive, [topic.topicArn], props.topicKey);
  grantDescribeAlarm(redrive, scope, props.healthAlarmName);

  const environment: Record<string, string> = {
    [REDRIVE_ADDRESS_VARIABLES.sourceQueueUrl]: queue.queueUrl,
    [REDRIVE_ADDRESS_VARIABLES.sourceQueueArn]: queue.queueArn,
    [REDRIVE_ADDRESS_VARIABLES.deadLetterQueueUrl]: deadLetterQueue.queueUrl,
    [REDRIVE_ADDRESS_VARIABLES.deadLetterQueueArn]: deadLetterQueue.queueArn,
    [REDRIVE_ADDRESS_VARIABLES.topicArn]: topic.topicArn,
  };
  if (hasEnvironment(redrive)) {
    for (const [name, value] of Object.entries(environment)) redrive.addEnvironment(name, value);
  } else {
    Annotations.of(scope).addWarningV2(
      'sqs-failsafe:redriveEnvironment',
      `The redrive function is imported, so its environment cannot be set here: set ${Object.keys(environment).join(', ')} on it yourself.`,
    );
  }
}

/** A function defined in this app (lambda.Function), as opposed to an imported one. */
function hasEnvironment(
  fn: lambda.IFunction,
): fn is lambda.IFunction & { addEnvironment(name: string, value: string): unknown } {
  return typeof (fn as { addEnvironment?: unknown }).addEnvironment === 'function';
}
