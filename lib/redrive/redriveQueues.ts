import type { SQSClient } from '@aws-sdk/client-sqs';
import { isQueueDoesNotExistError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { queueNameFromUrl, resolveQueueUrl } from '../aws/queueReference.js';
import { redriveTarget } from '../aws/redrivePolicy.js';
import { getQueueAttributes } from '../aws/sqsQueueApi.js';
import { RedriveQueueNotFoundError, RedriveQueueTypeMismatchError } from './redriveErrors.js';

/** A queue a redrive reads from or writes to, checked to exist. */
export interface QueueDescription {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  readonly fifo: boolean;
  /** ApproximateNumberOfMessages when it was described. */
  readonly approximateDepth: number;
  /** The DLQ its own redrive policy names; undefined when it has none (a DLQ, a parking queue). */
  readonly redriveTarget?: string | undefined;
}

/**
 * Resolves a queue given by URL, ARN or name and reads what the redrive needs to know about it. A queue
 * that does not exist is reported by its role ("DLQ", "source queue"), before anything moves.
 */
export async function describeRedriveQueue(
  role: string,
  reference: string,
  policy: AwsCallPolicy,
  client?: SQSClient,
  consequence?: string,
): Promise<QueueDescription> {
  try {
    const url = await resolveQueueUrl(reference, policy, client);
    const attributes = await getQueueAttributes(
      url,
      ['QueueArn', 'ApproximateNumberOfMessages', 'FifoQueue', 'RedrivePolicy'],
      policy,
      client,
    );
    const name = queueNameFromUrl(url);
    return {
      url,
      arn: attributes.QueueArn ?? '',
      name,
      fifo: attributes.FifoQueue === 'true' || name.endsWith('.fifo'),
      approximateDepth: Number(attributes.ApproximateNumberOfMessages ?? 0),
      redriveTarget: redriveTarget(attributes.RedrivePolicy),
    };
  } catch (error) {
    if (isQueueDoesNotExistError(error)) throw new RedriveQueueNotFoundError(role, reference, consequence);
    throw error;
  }
}

/** SQS pairs FIFO queues with FIFO queues only (docs/aws-semantics.md#redrive-policy). */
export function assertSameQueueType(dlq: QueueDescription, other: QueueDescription, role: string): void {
  if (dlq.fifo === other.fifo) return;
  const kind = (fifo: boolean) => (fifo ? 'FIFO' : 'standard');
  throw new RedriveQueueTypeMismatchError(
    `The DLQ ${dlq.name} is ${kind(dlq.fifo)} but the ${role} ${other.name} is ${kind(other.fifo)}: messages ` +
      'cannot keep their group and order across queue types, and SQS requires them to match. Nothing was moved.',
    { dlq: dlq.url, [role]: other.url },
  );
}
