import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createBatchProcessor, PermanentError } from '../../lib/index.js';
import { BenchCheckError, type Suite } from '../suite.js';
import { acceptBatchCalls } from '../support/acceptBatchCalls.js';
import { buildBatch } from '../support/sqsBatch.js';
import { printTable } from '../support/table.js';

/**
 * Issue 3: the AWS calls an invocation makes for k failed records. The target is the minimum, ceil(k/10)
 * per batch API it needs (visibility changes, DLQ sends, event publishes), and none for a healthy batch.
 * Counted, not timed: the SDK clients answer from a mock, so the figure is exact.
 */
const FAILED_COUNTS = [0, 1, 10, 11, 25, 100, 1_000];

export const suite: Suite = {
  title: 'AWS calls per invocation for k failed records',
  async run() {
    const sqs = mockClient(SQSClient);
    const sns = mockClient(SNSClient);
    acceptBatchCalls(sqs, sns);

    const processor = createBatchProcessor(
      (message: unknown) => {
        const { kind } = message as { kind: string };
        if (kind === 'permanent') throw new PermanentError('rejected');
        if (kind === 'transient') throw new Error('downstream unavailable');
      },
      {
        retry: false,
        concurrency: 1_000,
        configFromEnvironment: false,
        metrics: false,
        // Counted here: AWS calls. Each failed record's WARN line would only flood the bench's output.
        logger: { debug() {}, info() {}, warn() {}, error() {} },
        redeliveryBackoff: { scheduleSeconds: [30] },
        deadLetter: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/bench-dlq' },
        notifications: {
          topicArn: 'arn:aws:sns:us-east-1:111122223333:bench-events',
          events: ['message.retry-scheduled', 'message.dead-lettered'],
        },
      },
    );

    const rows: string[][] = [];
    let allMinimal = true;
    for (const k of FAILED_COUNTS) {
      sqs.resetHistory();
      sns.resetHistory();
      // k records fail with a retryable error (visibility change), k with a permanent one (DLQ send);
      // every one of the 2k failures is announced (event publish).
      const { event } = buildBatch({ records: 2 * k + 10, failingShare: 0 });
      event.Records.forEach((record, index) => {
        const kind = index < k ? 'transient' : index < 2 * k ? 'permanent' : 'ok';
        record.body = JSON.stringify({ ...(JSON.parse(record.body) as object), kind });
      });
      await processor(event);
      const calls = {
        visibility: sqs.commandCalls(ChangeMessageVisibilityBatchCommand).length,
        send: sqs.commandCalls(SendMessageBatchCommand).length,
        publish: sns.commandCalls(PublishBatchCommand).length,
      };
      const minimum = {
        visibility: Math.ceil(k / 10),
        send: Math.ceil(k / 10),
        publish: Math.ceil((2 * k) / 10),
      };
      const minimal =
        calls.visibility === minimum.visibility &&
        calls.send === minimum.send &&
        calls.publish === minimum.publish;
      allMinimal &&= minimal;
      rows.push([
        String(k),
        `${calls.visibility} (min ${minimum.visibility})`,
        `${calls.send} (min ${minimum.send})`,
        `${calls.publish} (min ${minimum.publish})`,
        minimal ? 'minimal' : 'MORE',
      ]);
    }
    sqs.restore();
    sns.restore();
    printTable(
      [
        { header: 'k failed (each kind)', align: 'right' },
        { header: 'ChangeMessageVisibilityBatch', align: 'right' },
        { header: 'SendMessageBatch (DLQ)', align: 'right' },
        { header: 'PublishBatch (2k events)', align: 'right' },
        { header: '', align: 'left' },
      ],
      rows,
    );
    if (!allMinimal)
      throw new BenchCheckError('an invocation made more AWS calls than ceil(k/10) per batch API');
    return {
      summary: [
        {
          label: 'AWS calls per invocation for k failed records',
          value: `ceil(k/10) per batch API for every k in ${FAILED_COUNTS.join(', ')}; 0 for a healthy batch`,
          met: allMinimal,
        },
      ],
    };
  },
};
