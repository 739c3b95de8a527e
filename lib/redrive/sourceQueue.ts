import type { SQSClient } from '@aws-sdk/client-sqs';
import { isQueueDoesNotExistError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { parseSqsArn } from '../aws/queueReference.js';
import { getQueueUrl, type ReceivedMessage } from '../aws/sqsQueueApi.js';
import { type FailureMetadata, readFailureMetadata } from '../deadLetter/failureMetadata.js';
import type { QueueDescription } from './redriveQueues.js';

export type Destination = { readonly url: string } | { readonly problem: string };

/**
 * Where each dead-lettered message goes back to, in order of trust:
 * 1. `DeadLetterQueueSourceArn`, which SQS sets when its redrive policy moved the message;
 * 2. `sourceQueueArn` of the failure metadata, which the runtime writes when it dead-letters a message
 *    itself (a plain send, so SQS sets no source);
 * 3. the configured source, for messages that say nothing.
 * ARNs are resolved to URLs once per run.
 */
export function sourceQueueResolver(
  dlq: QueueDescription,
  fallback: QueueDescription | undefined,
  policy: AwsCallPolicy,
  client?: SQSClient,
): (message: ReceivedMessage, metadata?: FailureMetadata) => Promise<Destination> {
  const byArn = new Map<string, Promise<Destination>>();
  if (fallback !== undefined) byArn.set(fallback.arn, Promise.resolve({ url: fallback.url }));

  const resolveArn = async (arn: string): Promise<Destination> => {
    const parsed = parseSqsArn(arn);
    if (parsed === undefined) return { problem: `its source "${arn}" is not an SQS queue ARN` };
    if (parsed.name.endsWith('.fifo') !== dlq.fifo) {
      return { problem: `its source ${parsed.name} and the DLQ ${dlq.name} are not of the same queue type` };
    }
    if (arn === dlq.arn) return { problem: 'it names the DLQ itself as its source' };
    try {
      return { url: await getQueueUrl(parsed.name, parsed.accountId, policy, client) };
    } catch (error) {
      if (isQueueDoesNotExistError(error)) return { problem: `its source queue ${arn} does not exist` };
      // Anything else (throttled beyond the retries, a network error) may pass: do not remember it.
      byArn.delete(arn);
      return { problem: `its source queue ${arn} could not be resolved (${(error as Error).name})` };
    }
  };

  return async (message, metadata = readFailureMetadata(message.attributes)) => {
    const arn = message.system.DeadLetterQueueSourceArn ?? metadata?.sourceQueueArn;
    if (arn === undefined || arn === '') {
      if (fallback !== undefined) return { url: fallback.url };
      return {
        problem:
          'it names no source queue (no DeadLetterQueueSourceArn, no failure metadata) and no fallback source was given',
      };
    }
    let destination = byArn.get(arn);
    if (destination === undefined) {
      destination = resolveArn(arn);
      byArn.set(arn, destination);
    }
    return destination;
  };
}
