import { Duration, Names, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ConsumerSettings } from '../settings/consumerSettings.js';

export interface ConsumerQueuesProps {
  readonly settings: ConsumerSettings;
  readonly queueName?: string | undefined;
  readonly deadLetterQueueName?: string | undefined;
  readonly contentBasedDeduplication?: boolean | undefined;
  readonly encryptionKey?: kms.IKey | undefined;
  /** What happens to the DLQ when it leaves the stack (`deadLetterRemovalPolicy`). */
  readonly deadLetterRemovalPolicy: RemovalPolicy;
}

export interface ConsumerQueues {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * The work queue and its DLQ, of the same type (a FIFO queue needs a FIFO DLQ:
 * docs/aws-semantics.md#redrive-policy), both encrypted at rest and refusing requests without TLS. The DLQ
 * accepts only this work queue as a source (RedriveAllowPolicy byQueue), and by default stays when it leaves
 * the stack: deleting it deletes the messages nothing else has
 * (docs/aws-semantics.md#deleting-a-queue-deletes-its-messages).
 */
export function createConsumerQueues(scope: Construct, props: ConsumerQueuesProps): ConsumerQueues {
  const { settings } = props;
  const fifo = settings.fifo ? true : undefined;
  const encryption = props.encryptionKey
    ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
    : { encryption: sqs.QueueEncryption.SQS_MANAGED };

  // The DLQ names its source before the source exists (the source's redrive policy needs the DLQ's ARN), so
  // the work queue's name, and with it its ARN, is fixed at synth time instead of referenced.
  const queueName = props.queueName ?? workQueueName(scope, settings.fifo);
  const queueArn = Stack.of(scope).formatArn({ service: 'sqs', resource: queueName });

  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    fifo,
    queueName: props.deadLetterQueueName,
    retentionPeriod: Duration.seconds(settings.deadLetterRetentionSeconds),
    removalPolicy: props.deadLetterRemovalPolicy,
    enforceSSL: true,
    ...encryption,
    redriveAllowPolicy: {
      redrivePermission: sqs.RedrivePermission.BY_QUEUE,
      sourceQueues: [sqs.Queue.fromQueueArn(scope, 'WorkQueueArn', queueArn)],
    },
  });

  const queue = new sqs.Queue(scope, 'Queue', {
    fifo,
    queueName,
    contentBasedDeduplication: props.contentBasedDeduplication,
    retentionPeriod: Duration.seconds(settings.retentionSeconds),
    visibilityTimeout: Duration.seconds(settings.visibilityTimeoutSeconds),
    deliveryDelay: Duration.seconds(settings.deliveryDelaySeconds),
    enforceSSL: true,
    ...encryption,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}

/** A name unique in the account and region, derived from the construct path; FIFO names end in `.fifo`. */
function workQueueName(scope: Construct, fifo: boolean): string {
  const suffix = fifo ? '.fifo' : '';
  return Names.uniqueResourceName(scope, { maxLength: 80 - suffix.length, separator: '-' }) + suffix;
}
