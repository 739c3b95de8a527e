import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface SeedMessage {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

/** Sends messages in batches of 10, as a producer would. */
export async function seed(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly SeedMessage[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10);
    const response = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, index) => ({
          Id: `m${index}`,
          MessageBody: message.body,
          MessageAttributes: message.attributes,
          MessageGroupId: message.groupId,
          MessageDeduplicationId:
            message.deduplicationId ?? (message.groupId === undefined ? undefined : randomUUID()),
        })),
      }),
    );
    if ((response.Failed ?? []).length > 0)
      throw new Error(`seed failed: ${JSON.stringify(response.Failed)}`);
  }
}

export interface DrainedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue>;
  readonly system: Record<string, string>;
}

/**
 * Every message currently visible in a standard queue, without deleting any: each is held invisible for
 * `holdSeconds` and so read once. (On a FIFO queue this sees only the first message of each group, since
 * SQS hands out no more of a group while one is in flight: use consumeAll there.)
 */
export async function readAll(sqs: SQSClient, queueUrl: string, holdSeconds = 30): Promise<DrainedMessage[]> {
  const messages: DrainedMessage[] = [];
  const seen = new Set<string>();
  for (let empty = 0; empty < 2; ) {
    const received = await receiveSome(sqs, queueUrl, holdSeconds);
    if (received.length === 0) empty += 1;
    for (const { receiptHandle: _, ...message } of received) {
      if (seen.has(message.messageId)) continue;
      seen.add(message.messageId);
      messages.push(message);
    }
  }
  return messages;
}

/** Receives and deletes everything in a queue, in receive order (for FIFO, each group in its order). */
export async function consumeAll(sqs: SQSClient, queueUrl: string): Promise<DrainedMessage[]> {
  const messages: DrainedMessage[] = [];
  for (let empty = 0; empty < 2; ) {
    const received = await receiveSome(sqs, queueUrl, 30);
    if (received.length === 0) {
      empty += 1;
      continue;
    }
    empty = 0;
    for (const { receiptHandle: _, ...message } of received) messages.push(message);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: received.map((message, index) => ({
          Id: `d${index}`,
          ReceiptHandle: message.receiptHandle,
        })),
      }),
    );
  }
  return messages;
}

async function receiveSome(
  sqs: SQSClient,
  queueUrl: string,
  holdSeconds: number,
): Promise<(DrainedMessage & { receiptHandle: string })[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: holdSeconds,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages.map((message) => ({
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: message.MessageAttributes ?? {},
    system: (message.Attributes ?? {}) as Record<string, string>,
  }));
}
