import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { sqsClient, sqsCommands } from './awsClients.js';
import { readBatchResponse, withMessageId, withoutValue } from './batchResponse.js';
import { messageBytes } from './messageSize.js';
import { type BatchRunStats, type EntryResult, runBatchedEntries } from './runBatchedEntries.js';
import { MAX_BATCH_ENTRIES, SQS_MAX_MESSAGE_BYTES } from './serviceLimits.js';

/** The SQS batch operations the product uses, each over any number of entries, one result per entry. */

/**
 * The client and command classes, loaded inside the first request so that loading the SDK (on the first
 * failure of a container) counts against the request's time limit like the request itself.
 */
const loadSqs = (client: SQSClient | undefined) => Promise.all([sqsClient(client), sqsCommands()]);

const SQS_BATCH = { maxEntries: MAX_BATCH_ENTRIES } as const;

export interface OutgoingMessage {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
  /** FIFO only. */
  readonly messageGroupId?: string;
  /** FIFO only: a repeated send with the same id within 5 minutes is dropped by SQS. */
  readonly deduplicationId?: string;
  /**
   * The X-Ray trace header the message arrived with (`AWSTraceHeader`): carried over so that a dead letter
   * and its redrive stay in the trace of the request that produced the message.
   */
  readonly traceHeader?: string;
  /** Standard queues only: how long SQS keeps the message invisible after accepting it, 0..900 s. */
  readonly delaySeconds?: number;
}

export async function changeVisibility(
  queueUrl: string,
  changes: readonly { receiptHandle: string; visibilityTimeout: number }[],
  policy: AwsCallPolicy,
  client?: SQSClient,
  stats?: BatchRunStats,
): Promise<EntryResult<undefined>[]> {
  return runBatchedEntries(
    changes,
    async (entries, abortSignal) => {
      const [sqs, { ChangeMessageVisibilityBatchCommand }] = await loadSqs(client);
      const response = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: entries.map(({ id, entry }) => ({
            Id: id,
            ReceiptHandle: entry.receiptHandle,
            VisibilityTimeout: entry.visibilityTimeout,
          })),
        }),
        { abortSignal },
      );
      return readBatchResponse(response, withoutValue);
    },
    SQS_BATCH,
    policy,
    stats,
  );
}

export async function sendMessages(
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  policy: AwsCallPolicy,
  client?: SQSClient,
  stats?: BatchRunStats,
): Promise<EntryResult<{ messageId: string }>[]> {
  return runBatchedEntries(
    messages,
    async (entries, abortSignal) => {
      const [sqs, { SendMessageBatchCommand }] = await loadSqs(client);
      const response = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: entries.map(({ id, entry }) => ({
            Id: id,
            MessageBody: entry.body,
            MessageAttributes: entry.attributes,
            MessageGroupId: entry.messageGroupId,
            MessageDeduplicationId: entry.deduplicationId,
            DelaySeconds: entry.delaySeconds,
            ...(entry.traceHeader === undefined
              ? {}
              : {
                  MessageSystemAttributes: {
                    AWSTraceHeader: { DataType: 'String', StringValue: entry.traceHeader },
                  },
                }),
          })),
        }),
        { abortSignal },
      );
      return readBatchResponse(response, withMessageId);
    },
    {
      ...SQS_BATCH,
      maxBytes: SQS_MAX_MESSAGE_BYTES,
      sizeOf: (message) => messageBytes(message.body, message.attributes),
    },
    policy,
    stats,
  );
}

export async function deleteMessages(
  queueUrl: string,
  receiptHandles: readonly string[],
  policy: AwsCallPolicy,
  client?: SQSClient,
  stats?: BatchRunStats,
): Promise<EntryResult<undefined>[]> {
  return runBatchedEntries(
    receiptHandles,
    async (entries, abortSignal) => {
      const [sqs, { DeleteMessageBatchCommand }] = await loadSqs(client);
      const response = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: entries.map(({ id, entry }) => ({ Id: id, ReceiptHandle: entry })),
        }),
        { abortSignal },
      );
      return readBatchResponse(response, withoutValue);
    },
    SQS_BATCH,
    policy,
    stats,
  );
}
