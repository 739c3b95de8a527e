import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** How long the parking queue keeps a message: SQS's longest, since nothing moves it on. */
export const PARKING_RETENTION_SECONDS = 14 * 86_400;

export interface ParkingQueueProps {
  readonly fifo: boolean;
  readonly encryptionKey: kms.IKey | undefined;
  /** The DLQ's: both hold messages nothing else has (docs/aws-semantics.md#deleting-a-queue-deletes-its-messages). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The parking queue (`ParkingQueue` in the given scope): where the redrive's loop guard sets aside messages
 * redriven too often, of the DLQ's type and encryption, TLS only.
 */
export function createParkingQueue(scope: Construct, props: ParkingQueueProps): sqs.Queue {
  const parkingQueue = new sqs.Queue(scope, 'ParkingQueue', {
    fifo: props.fifo ? true : undefined,
    retentionPeriod: Duration.seconds(PARKING_RETENTION_SECONDS),
    enforceSSL: true,
    removalPolicy: props.removalPolicy,
    ...(props.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
  });
  Validations.of(parkingQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'The parking queue is where the redrive loop guard sets aside messages redriven too often: it is ' +
      'the end of the line, read by an operator, and a DLQ of its own would only move them once more.',
  });
  return parkingQueue;
}
