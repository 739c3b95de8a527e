import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LambdaContextLike } from '../../lib/index.js';
import { type BatchVerdict, INVOCATION_FAILED, interpretBatchResponse } from './interpretBatchResponse.js';
import { lambdaRecordFromMessage } from './lambdaRecordFromMessage.js';
import { receiveBatch } from './receiveBatch.js';
import { settleBatch } from './settleBatch.js';

export interface QueueSource {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
}

export type SqsConsumer = (event: { Records: unknown[] }, context: LambdaContextLike) => Promise<unknown>;

export interface PollResult {
  readonly received: number;
  readonly deleted: number;
  readonly verdict: BatchVerdict | undefined;
}

/**
 * One turn of an SQS event source mapping with ReportBatchItemFailures: receive a batch, invoke the
 * consumer, and delete what Lambda would delete given its result (a throw deletes nothing).
 */
export async function pollOnce(
  sqs: SQSClient,
  source: QueueSource,
  consumer: SqsConsumer,
  options: { batchSize?: number; waitSeconds?: number; timeoutMs?: number; functionName?: string } = {},
): Promise<PollResult> {
  const messages = await receiveBatch(sqs, {
    queueUrl: source.queueUrl,
    batchSize: options.batchSize ?? 10,
    waitSeconds: options.waitSeconds ?? 1,
  });
  if (messages.length === 0) return { received: 0, deleted: 0, verdict: undefined };
  const event = {
    Records: messages.map((message) => lambdaRecordFromMessage(message, source.queueArn, source.region)),
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const context: LambdaContextLike = {
    functionName: options.functionName ?? 'local-consumer',
    awsRequestId: crypto.randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let verdict: BatchVerdict;
  try {
    verdict = interpretBatchResponse(
      await consumer(event, context),
      event.Records.map((record) => record.messageId),
    );
  } catch {
    verdict = INVOCATION_FAILED;
  }
  const deleted = await settleBatch(sqs, source.queueUrl, messages, verdict);
  return { received: messages.length, deleted, verdict };
}
