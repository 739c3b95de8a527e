import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/*
 * Grants written out action by action. CDK's grantSendMessages and grantPublish add KMS actions with
 * wildcards (kms:GenerateDataKey*, kms:ReEncrypt*); these add only what SQS and SNS ask of a sender to an
 * encrypted queue or topic: kms:GenerateDataKey and kms:Decrypt.
 */

/** The actions a receiver needs on a queue's customer managed key. */
const RECEIVE_KEY_ACTIONS = ['kms:Decrypt'];
/** The actions a sender needs on a queue's or topic's customer managed key. */
const SEND_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * What taking messages off a queue needs: receive, delete, change visibility, read attributes (and
 * kms:Decrypt with a customer managed key). Written out, unlike queue.grantConsumeMessages, so that it also
 * works, as a no-op with CDK's warning, for an imported function without a role.
 */
export function grantConsumeMessages(grantee: iam.IGrantable, queue: sqs.IQueue): void {
  grantQueueActions(
    grantee,
    queue,
    ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
    RECEIVE_KEY_ACTIONS,
  );
}

/** sqs:SendMessage on one queue (and its key, when it has a customer managed one). */
export function grantSendMessage(grantee: iam.IGrantable, queue: sqs.IQueue): void {
  grantQueueActions(grantee, queue, ['sqs:SendMessage'], SEND_KEY_ACTIONS);
}

/**
 * The given actions on one queue and, when it has a customer managed key, the key actions: by default what
 * a sender needs when the actions include sqs:SendMessage, otherwise what a receiver needs.
 */
export function grantQueueActions(
  grantee: iam.IGrantable,
  queue: sqs.IQueue,
  actions: readonly string[],
  keyActions: readonly string[] = actions.includes('sqs:SendMessage')
    ? SEND_KEY_ACTIONS
    : RECEIVE_KEY_ACTIONS,
): void {
  iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [queue.queueArn] });
  if (queue.encryptionMasterKey) {
    iam.Grant.addToPrincipal({
      grantee,
      actions: [...keyActions],
      resourceArns: [queue.encryptionMasterKey.keyArn],
    });
  }
}

/** sns:Publish on the given topics (and on the key of the construct's own topic, when it has one). */
export function grantPublish(grantee: iam.IGrantable, topicArns: readonly string[], key?: kms.IKey): void {
  if (topicArns.length === 0) return;
  iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [...topicArns] });
  if (key === undefined) return;
  iam.Grant.addToPrincipal({ grantee, actions: SEND_KEY_ACTIONS, resourceArns: [key.keyArn] });
}

/**
 * Item actions on one DynamoDB table and, with a customer managed key, the key actions DynamoDB performs on
 * the caller's behalf, usable only through DynamoDB in this region (kms:ViaService): the same list AWS's
 * own key for DynamoDB allows, without its wildcards or CreateGrant, which only creating a table needs.
 */
export function grantTableItems(
  grantee: iam.IGrantable,
  table: dynamodb.ITable,
  actions: readonly string[],
): void {
  iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [table.tableArn] });
  if (table.encryptionKey === undefined) return;
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resourceArns: [table.encryptionKey.keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(table).region}.amazonaws.com` },
    },
  });
}

/**
 * cloudwatch:DescribeAlarms on one alarm, by its synth-time name: the alarm's ARN attribute would close a
 * dependency cycle when the grantee is also the alarm's action (alarm -> function -> its policy -> alarm).
 */
export function grantDescribeAlarm(grantee: iam.IGrantable, scope: Construct, alarmName: string): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['cloudwatch:DescribeAlarms'],
      resources: [
        Stack.of(scope).formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: alarmName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
}
