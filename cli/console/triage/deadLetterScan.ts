import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCallPolicy } from '../../../lib/aws/awsCallPolicy.js';
import { changeVisibility } from '../../../lib/aws/sqsBatchApi.js';
import { type ReceivedMessage, receiveMessages } from '../../../lib/aws/sqsQueueApi.js';

/** What the console shows of a message's system attributes; each one asked for costs bytes on every message. */
const SYSTEM_ATTRIBUTES = [
  'SentTimestamp',
  'ApproximateReceiveCount',
  'MessageGroupId',
  'DeadLetterQueueSourceArn',
] as const;

export interface ScanOptions {
  readonly queueUrl: string;
  readonly sqs?: SQSClient | undefined;
  /** Receive loops at once. @default 20 */
  readonly concurrency?: number;
  /**
   * How long the scanned messages stay invisible at most, should the process die before it releases them.
   * A scan that runs longer sees messages again; they are recognised by id. @default 120
   */
  readonly holdSeconds?: number;
  /** Long-poll wait per receive: with 0 SQS samples a subset of its servers and may miss messages. @default 1 */
  readonly receiveWaitSeconds?: number;
  /** Messages read at most; the scan says when it stopped there. @default 100000 */
  readonly maxMessages?: number;
  /** Stop as soon as this returns true for a message read (looking for one message). */
  readonly stopWhen?: (message: ReceivedMessage) => boolean;
}

export interface ScanResult {
  readonly messages: readonly ReceivedMessage[];
  /** Stopped at maxMessages: there may be more. */
  readonly truncated: boolean;
  readonly durationMs: number;
}

/**
 * Reads every message of a DLQ without consuming it, as fast as the queue allows: several receive loops
 * hold what they read invisible (so no loop reads a message twice and every loop reaches the end), then
 * every message is released at once. SQS has no read-only view, so each message counts one more receive;
 * on a DLQ, which has no redrive policy of its own, that changes nothing (the console refuses to scan a
 * queue that has one). On a FIFO DLQ SQS hands out only the first message of each group while it is
 * held, so a scan sees the head of each group.
 *
 * @example
 * const { messages } = await scanDeadLetters({ queueUrl });
 */
export async function scanDeadLetters(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const policy: AwsCallPolicy = { deadline: Number.POSITIVE_INFINITY };
  const max = options.maxMessages ?? 100_000;
  const read = new Map<string, ReceivedMessage>();
  /** Receipt handles to release: every receive of a message, the latest wins for the release. */
  const handles = new Map<string, string>();
  let stop = false;

  const loop = async () => {
    while (!stop && read.size < max) {
      const batch = await receiveMessages(
        options.queueUrl,
        {
          maxMessages: 10,
          visibilityTimeoutSeconds: options.holdSeconds ?? 120,
          waitSeconds: options.receiveWaitSeconds ?? 1,
          systemAttributes: SYSTEM_ATTRIBUTES,
        },
        policy,
        options.sqs,
      );
      let fresh = 0;
      for (const message of batch) {
        handles.set(message.messageId, message.receiptHandle);
        if (read.has(message.messageId) || read.size >= max) continue;
        read.set(message.messageId, message);
        fresh += 1;
        if (options.stopWhen?.(message) === true) stop = true;
      }
      // Nothing new: everything visible has been read (what reappears after the hold was read before).
      if (fresh === 0) return;
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 20 }, loop));
  } finally {
    await changeVisibility(
      options.queueUrl,
      [...handles.values()].map((receiptHandle) => ({ receiptHandle, visibilityTimeout: 0 })),
      policy,
      options.sqs,
    );
  }
  return {
    messages: [...read.values()],
    truncated: read.size >= max,
    durationMs: Date.now() - started,
  };
}
