import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_BATCH_ENTRIES } from '../../lib/aws/serviceLimits.js';
import type { PlannedTask } from './runRecord.js';
import { messageBody } from './scenarios.js';

/**
 * The producer: sends the planned messages to the work queue in batches of 10, spread evenly over
 * `seconds` of real time, so that traffic keeps arriving while things go wrong, as it does in production.
 */
export async function sendTraffic(
  sqs: SQSClient,
  queueUrl: string,
  tasks: readonly PlannedTask[],
  seconds: number,
): Promise<void> {
  const size = MAX_BATCH_ENTRIES;
  const startedAt = Date.now();
  const intervalMs = ((seconds * 1_000) / tasks.length) * size;
  for (let start = 0, index = 0; start < tasks.length; start += size, index += 1) {
    const wait = startedAt + index * intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const batch = tasks.slice(start, start + size);
    const { Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((task, entry) => ({ Id: String(entry), MessageBody: messageBody(task) })),
      }),
    );
    if (Failed.length > 0)
      throw new Error(`The queue refused ${Failed.length} messages: ${Failed[0]?.Message}`);
  }
}
