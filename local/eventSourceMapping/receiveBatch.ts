import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';

export interface ReceiveOptions {
  readonly queueUrl: string;
  /** Records per batch, up to 10,000 on standard queues (received 10 at a time). */
  readonly batchSize: number;
  /** Long-poll wait of the first receive. */
  readonly waitSeconds: number;
}

/**
 * Gathers one batch the way the Lambda poller does: long-poll for the first messages, then keep receiving
 * without waiting until the batch is full or the queue has nothing more to give.
 */
export async function receiveBatch(sqs: SQSClient, options: ReceiveOptions): Promise<Message[]> {
  const messages: Message[] = [];
  let wait = options.waitSeconds;
  while (messages.length < options.batchSize) {
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, options.batchSize - messages.length),
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const received = response.Messages ?? [];
    messages.push(...received);
    if (received.length === 0) break;
    wait = 0;
  }
  return messages;
}
