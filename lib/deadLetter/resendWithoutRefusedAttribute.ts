import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import type { EntryFailure, EntryResult } from '../aws/runBatchedEntries.js';
import type { OutgoingMessage } from '../aws/sqsBatchApi.js';
import { sendMessages } from '../aws/sqsBatchApi.js';

/** Rounds of sending again, each without one more refused attribute: a message has at most 10. */
const MAX_ROUNDS = 3;

/** SQS names the attribute it refuses (docs/aws-semantics.md#refusals-name-the-attribute). */
const NAMED_ATTRIBUTE = /attribute '([^']+)'/i;

export interface DroppedAttribute {
  readonly index: number;
  readonly attribute: string;
  readonly failure: EntryFailure;
}

/**
 * Sends dead letters with SendMessageBatch; an entry SQS refuses for one of its attributes (the refusal
 * names it) is sent again without that attribute, rather than left in the source queue to bounce: the
 * runtime's own metadata is always valid (safeText), so what SQS refuses is an attribute the message
 * arrived with, or one a future SQS rule refuses. Every attribute dropped is reported through `dropped`.
 * Other refusals, and refusals naming nothing the entry carries, stand.
 */
export async function sendDeadLetterCopies(
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  policy: AwsCallPolicy,
  client: SQSClient | undefined,
  dropped: (drop: DroppedAttribute) => void,
): Promise<EntryResult<{ messageId: string }>[]> {
  const current = [...messages];
  const results = await sendMessages(queueUrl, current, policy, client);
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const again: number[] = [];
    for (const [index, result] of results.entries()) {
      if (result.ok || result.failure.retryable) continue;
      const message = current[index] as OutgoingMessage;
      const attribute = refusedAttribute(result.failure, message);
      if (attribute === undefined) continue;
      current[index] = without(message, attribute);
      dropped({ index, attribute, failure: result.failure });
      again.push(index);
    }
    if (again.length === 0) break;
    const retried = await sendMessages(
      queueUrl,
      again.map((index) => current[index] as OutgoingMessage),
      policy,
      client,
    );
    for (const [position, index] of again.entries())
      results[index] = retried[position] as (typeof results)[number];
  }
  return results;
}

function refusedAttribute(failure: EntryFailure, message: OutgoingMessage): string | undefined {
  const name = NAMED_ATTRIBUTE.exec(failure.message)?.[1];
  if (name === undefined) return undefined;
  if (message.attributes !== undefined && Object.hasOwn(message.attributes, name)) return name;
  if (name === 'AWSTraceHeader' && message.traceHeader !== undefined) return name;
  return undefined;
}

function without(message: OutgoingMessage, attribute: string): OutgoingMessage {
  if (attribute === 'AWSTraceHeader' && !Object.hasOwn(message.attributes ?? {}, attribute)) {
    const { traceHeader: _dropped, ...rest } = message;
    return rest;
  }
  const { [attribute]: _dropped, ...attributes } = message.attributes ?? {};
  return { ...message, attributes };
}
