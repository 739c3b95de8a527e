import type { SQSClient } from '@aws-sdk/client-sqs';
import { isQueueDoesNotExistError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { parseSqsArn } from '../aws/queueReference.js';
import { redriveTarget } from '../aws/redrivePolicy.js';
import { getQueueAttributes, getQueueUrl, type ReceivedMessage } from '../aws/sqsQueueApi.js';
import { type FailureMetadata, readFailureMetadata } from '../deadLetter/failureMetadata.js';
import { unpairedReason } from './destinationPairing.js';
import type { QueueDescription } from './redriveQueues.js';

/**
 * Where a message goes, or why it stays: `unpairedQueue` is set when the queue it names does not name this DLQ
 * in its redrive policy (reported in the run's `unpairedDestinations`).
 */
export type Destination =
  | { readonly url: string }
  | { readonly problem: string; readonly unpairedQueue?: string | undefined };

/**
 * Where each dead-lettered message goes back to, in order of trust:
 * 1. `DeadLetterQueueSourceArn`, which SQS sets when its redrive policy moved the message;
 * 2. `sourceQueueArn` of the failure metadata, which the runtime writes when it dead-letters a message
 *    itself (a plain send, so SQS sets no source);
 * 3. the configured source, for messages that say nothing.
 * A queue named by 1 or 2 must name this DLQ in its redrive policy, or the message stays and is reported: a
 * sender can write any metadata into a DLQ, and SQS's source may have been pointed elsewhere since. (The
 * configured source was checked before the run, see assertPairedDestination.) ARNs are resolved and checked
 * once per run.
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
      const url = await getQueueUrl(parsed.name, parsed.accountId, policy, client);
      // Metadata is only what a sender wrote: the queue must say itself that its failures go to this DLQ.
      const attributes = await getQueueAttributes(url, ['RedrivePolicy'], policy, client);
      const unpaired = unpairedReason(parsed.name, redriveTarget(attributes.RedrivePolicy), dlq);
      if (unpaired !== undefined) {
        return {
          problem: `it names ${arn} as its source, but ${unpaired}: not followed (name a destination with source and confirmUnpairedSource)`,
          unpairedQueue: url,
        };
      }
      return { url };
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
