import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import type { AwsClients } from '../aws/awsClients.js';
import { MAX_BATCH_ENTRIES } from '../aws/serviceLimits.js';
import { changeVisibility } from '../aws/sqsBatchApi.js';
import { type ReceivedMessage, receiveMessages } from '../aws/sqsQueueApi.js';
import { failureFingerprint } from '../deadLetter/failureFingerprint.js';
import {
  type FailureMetadata,
  readFailureMetadata,
  withoutFailureMetadata,
} from '../deadLetter/failureMetadata.js';
import { InvalidOptionsError } from '../errors.js';
import { readRedriveCount } from './redriveCount.js';
import { compileFilters, filterProblems, type RedriveFilter } from './redriveFilter.js';
import { describeRedriveQueue } from './redriveQueues.js';

export interface PeekOptions {
  /** The queue to look into: URL, ARN or name. */
  readonly queue: string;
  /** Messages to show, 1..1000. @default 10 */
  readonly max?: number;
  /** Show only messages that match (all of) these, e.g. `{ fingerprint }` for one cause. @default every message */
  readonly filter?: RedriveFilter | readonly RedriveFilter[];
  /** How long the shown messages stay invisible at most, should the process die before releasing them. @default 30 */
  readonly holdSeconds?: number;
  readonly aws?: AwsClients;
}

/** A dead-lettered message as an operator wants to see it. */
export interface PeekedMessage {
  readonly messageId: string;
  readonly body: string;
  /** ISO 8601, from SentTimestamp. */
  readonly sentAt: string | undefined;
  /** Receives of this copy (peeking adds one: SQS counts every receive). */
  readonly receiveCount: number;
  readonly redriveCount: number;
  readonly messageGroupId: string | undefined;
  /** Where SQS's redrive policy moved it from, when it did. */
  readonly deadLetterQueueSourceArn: string | undefined;
  /** The failure metadata the runtime attached when it dead-lettered the message. */
  readonly failure: FailureMetadata | undefined;
  /** Its cause (failureFingerprint): the id selects it in `peek --cause` and redrive filters. */
  readonly cause: { readonly id: string; readonly label: string };
  /** The message's own attributes (failure metadata excluded), binary values as base64. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface PeekResult {
  readonly queueUrl: string;
  readonly approximateDepth: number;
  readonly messages: readonly PeekedMessage[];
}

/**
 * Shows messages without consuming them: receives up to `max`, keeps them invisible while it reads on (so
 * none is shown twice), then releases all of them at once. SQS has no read-only view, so each shown message
 * counts one more receive; on a DLQ without a redrive policy of its own that changes nothing. On a FIFO
 * queue, SQS shows only the first message of each group (the rest wait behind it). With a `filter` (a cause,
 * say), it reads on until `max` messages match or the queue has nothing more to show.
 *
 * @example
 * const { messages } = await peekDeadLetters({ queue: 'orders-dlq', max: 5 });
 * for (const message of messages) console.log(message.failure?.errorClass, message.body);
 */
export async function peekDeadLetters(options: PeekOptions): Promise<PeekResult> {
  const max = options.max ?? 10;
  const policy: AwsCallPolicy = { deadline: Number.POSITIVE_INFINITY };
  const client = options.aws?.sqs;
  const queue = await describeRedriveQueue('queue', options.queue, policy, client, 'nothing to show');
  const filters = options.filter === undefined ? [] : [options.filter].flat();
  const problems = filterProblems(filters);
  if (problems.length > 0) throw new InvalidOptionsError('peek options', problems);
  const matches = compileFilters(filters);
  const received = new Map<string, ReceivedMessage>();
  const shown: ReceivedMessage[] = [];
  try {
    while (shown.length < max) {
      const batch = await receiveMessages(
        queue.url,
        {
          maxMessages:
            filters.length > 0 ? MAX_BATCH_ENTRIES : Math.min(MAX_BATCH_ENTRIES, max - shown.length),
          visibilityTimeoutSeconds: options.holdSeconds ?? 30,
          waitSeconds: 0,
        },
        policy,
        client,
      );
      const fresh = batch.filter((message) => !received.has(message.messageId));
      for (const message of batch) received.set(message.messageId, message);
      if (fresh.length === 0) break;
      shown.push(...fresh.filter(matches));
    }
  } finally {
    await changeVisibility(
      queue.url,
      [...received.values()].map((message) => ({
        receiptHandle: message.receiptHandle,
        visibilityTimeout: 0,
      })),
      policy,
      client,
    );
  }
  return {
    queueUrl: queue.url,
    approximateDepth: queue.approximateDepth,
    messages: shown.slice(0, max).map(toPeeked),
  };
}

function toPeeked(message: ReceivedMessage): PeekedMessage {
  const sent = Number(message.system.SentTimestamp);
  const failure = readFailureMetadata(message.attributes);
  const cause = failureFingerprint(failure);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(withoutFailureMetadata(message.attributes))) {
    attributes[name] =
      value.StringValue ??
      (value.BinaryValue === undefined ? '' : Buffer.from(value.BinaryValue).toString('base64'));
  }
  return {
    messageId: message.messageId,
    body: message.body,
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : undefined,
    receiveCount: Number(message.system.ApproximateReceiveCount ?? 0),
    redriveCount: readRedriveCount(message.attributes),
    messageGroupId: message.system.MessageGroupId,
    deadLetterQueueSourceArn: message.system.DeadLetterQueueSourceArn,
    failure,
    cause: { id: cause.id, label: cause.label },
    attributes,
  };
}
