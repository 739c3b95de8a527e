import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/*
 * Grants written out action by action. CDK's grantSendMessages and grantPublish add KMS actions with
 * wildcards (kms:GenerateDataKey*, kms:ReEncrypt*); these add only what SQS and SNS ask of a sender to an
 * encrypted queue or topic: kms:GenerateDataKey and kms:Decrypt.
 */

/**
 * What taking messages off a queue needs: receive, delete, change visibility, read attributes (and
 * kms:Decrypt with a customer managed key). Written out, unlike queue.grantConsumeMessages, so that it also
 * works, as a no-op with CDK's warning, for an imported function without a role.
 */
export function grantConsumeMessages(grantee: iam.IGrantable, queue: sqs.IQueue): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: [
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
    ],
    resourceArns: [queue.queueArn],
  });
  if (queue.encryptionMasterKey) {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [queue.encryptionMasterKey.keyArn],
    });
  }
}

/** sqs:SendMessage on one queue (and its key, when it has a customer managed one). */
export function grantSendMessage(grantee: iam.IGrantable, queue: sqs.IQueue): void {
  iam.Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
  grantEncryptFor(grantee, queue.encryptionMasterKey);
}

/** sns:Publish on the given topics (and on the key of the construct's own topic, when it has one). */
export function grantPublish(grantee: iam.IGrantable, topicArns: readonly string[], key?: kms.IKey): void {
  if (topicArns.length === 0) return;
  iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [...topicArns] });
  grantEncryptFor(grantee, key);
}

function grantEncryptFor(grantee: iam.IGrantable, key: kms.IKey | undefined): void {
  if (key === undefined) return;
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resourceArns: [key.keyArn],
  });
}
