import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { unlimitedPolicy } from '../../lib/aws/awsCallPolicy.js';
import { deleteMessages } from '../../lib/aws/sqsBatchApi.js';
import { type BatchVerdict, deletedIds } from './interpretBatchResponse.js';

/** Deletes from the queue exactly the messages Lambda deletes under the verdict; the rest stay. */
export async function settleBatch(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
  verdict: BatchVerdict,
): Promise<number> {
  const toDelete = new Set(
    deletedIds(
      verdict,
      messages.map((message) => message.MessageId ?? ''),
    ),
  );
  const receipts = messages
    .filter((message) => toDelete.has(message.MessageId ?? ''))
    .map((message) => message.ReceiptHandle ?? '');
  if (receipts.length === 0) return 0;
  const results = await deleteMessages(queueUrl, receipts, unlimitedPolicy(), sqs);
  return results.filter((result) => result.ok).length;
}
