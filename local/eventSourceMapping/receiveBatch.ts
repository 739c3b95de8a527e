import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';

export interface ReceiveOptions {
  readonly queueUrl: string;
  /** Records per batch, up to 10,000 on standard queues (received 10 at a time). */
  readonly batchSize: number;
  /** Long-poll wait of the first receive, in seconds. */
  readonly waitSeconds: number;
  /** MaximumBatchingWindowInSeconds: keep gathering until the batch is full or this much time passed. */
  readonly batchingWindowSeconds?: number;
  /** Stop early when the mapping is disabled or the runtime stops. */
  readonly signal?: AbortSignal;
  /** Told of each receive's messages as they arrive, before the batch is complete. */
  readonly onReceived?: (messages: readonly Message[]) => void;
}

/** Lambda's invocation payload limit for SQS batches. */
export const MAX_BATCH_PAYLOAD_BYTES = 6 * 1_048_576;

/**
 * Gathers one batch the way the Lambda poller does (docs/aws-semantics.md#batch-size-and-batching-window):
 * long-poll for the first messages, then keep receiving until the batch is full, the batching window has
 * passed, or (without a window) the queue has nothing more to give. Messages that would push the payload past
 * 6 MB are released at once rather than kept invisible.
 */
export async function receiveBatch(sqs: SQSClient, options: ReceiveOptions): Promise<Message[]> {
  const messages: Message[] = [];
  const windowMs = (options.batchingWindowSeconds ?? 0) * 1_000;
  const closesAt = Date.now() + windowMs;
  let bytes = 0;
  let wait = options.waitSeconds;
  while (messages.length < options.batchSize && options.signal?.aborted !== true) {
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, options.batchSize - messages.length),
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      options.signal === undefined ? {} : { abortSignal: options.signal },
    );
    const received = response.Messages ?? [];
    options.onReceived?.(received);
    const overflow: Message[] = [];
    for (const message of received) {
      const size = Buffer.byteLength(message.Body ?? '');
      if (messages.length > 0 && bytes + size > MAX_BATCH_PAYLOAD_BYTES) overflow.push(message);
      else {
        messages.push(message);
        bytes += size;
      }
    }
    if (overflow.length > 0) {
      await release(sqs, options.queueUrl, overflow);
      break;
    }
    if (windowMs === 0) {
      // No window: take what is there right now, without waiting again.
      if (received.length === 0) break;
      wait = 0;
      continue;
    }
    const remainingMs = closesAt - Date.now();
    if (remainingMs <= 0) break;
    wait = Math.min(20, Math.ceil(remainingMs / 1_000));
  }
  return messages;
}

async function release(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.slice(start, start + 10).map((message, index) => ({
          Id: `r${index}`,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}
