import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { acceptBatchCalls, acceptLedgerCalls } from '../../../bench/support/acceptBatchCalls.js';
import { createBatchProcessor, PermanentError } from '../../../lib/index.js';
import { DLQ_URL, FIFO_DLQ_URL, TOPIC_ARN, useAwsMocks } from '../../helpers/awsMocks.js';
import { SOURCE_URL } from '../../helpers/mockSqs.js';
import { eventOf, fifoRecord, sqsRecord } from '../../helpers/sqsEvents.js';

const { sqs, sns } = useAwsMocks();
const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
const ledger = mockClient(dynamodb);
beforeEach(() => ledger.reset());

/** A handler failing every record: permanently when its body says so, transiently otherwise. */
const failEveryRecord = (message: unknown): never => {
  if ((message as { permanent: boolean }).permanent) throw new PermanentError('bad');
  throw new Error('transient');
};

/** k records that fail transiently, then k that fail permanently. */
const failingRecords = (k: number) => [
  ...Array.from({ length: k }, () => sqsRecord({ body: '{"permanent":false}' })),
  ...Array.from({ length: k }, () => sqsRecord({ body: '{"permanent":true}' })),
];

/** Every record handled at once, failures not retried in the invocation, a redelivery delay to set. */
const ONE_INVOCATION = {
  retry: false,
  concurrency: 100,
  configFromEnvironment: false,
  redeliveryBackoff: { scheduleSeconds: [30] },
} as const;

const sendsTo = (queueUrl: string) =>
  sqs.commandCalls(SendMessageBatchCommand).filter((call) => call.args[0].input.QueueUrl === queueUrl);

/**
 * The figure issue 3 asks for: for k failed records an invocation makes the minimum ceil(k/10) calls of
 * each batch API it needs, and nothing per record.
 */
describe('AWS calls per invocation', () => {
  it.each([1, 9, 10, 11, 57, 100, 250])('for %i retryable and %i permanent failures', async (k) => {
    // Prepare
    acceptBatchCalls(sqs, sns);
    const processor = createBatchProcessor(failEveryRecord, {
      ...ONE_INVOCATION,
      deadLetter: { queueUrl: DLQ_URL },
      notifications: { topicArn: TOPIC_ARN, events: ['message.retry-scheduled', 'message.dead-lettered'] },
    });
    // Act
    await processor(eventOf(failingRecords(k)));
    // Assess
    const minimum = Math.ceil(k / 10);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(minimum);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(minimum);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(Math.ceil((2 * k) / 10));
  });

  it.each([1, 9, 10, 11, 57, 100, 250])(
    'with attempts counted, copies: for %i retryable and %i permanent failures, ceil(k/10) sends to each queue',
    async (k) => {
      acceptBatchCalls(sqs, sns);
      const processor = createBatchProcessor(failEveryRecord, {
        ...ONE_INVOCATION,
        deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 },
      });
      await processor(eventOf(failingRecords(k)));
      expect(sendsTo(DLQ_URL)).toHaveLength(Math.ceil(k / 10));
      expect(sendsTo(SOURCE_URL)).toHaveLength(Math.ceil(k / 10));
      expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(0);
    },
  );

  it.each([1, 9, 10, 11, 57, 100, 250])(
    'with the attempt ledger (FIFO): for %i redelivered failures, ceil(k/10) visibility changes, ceil(k/100) reads, ceil(k/25) writes',
    async (k) => {
      acceptBatchCalls(sqs, sns);
      acceptLedgerCalls(ledger);
      const processor = createBatchProcessor(
        () => {
          throw new Error('transient');
        },
        {
          ...ONE_INVOCATION,
          fifoMode: 'skip-failed-group',
          deadLetter: { queueUrl: FIFO_DLQ_URL, maxAttempts: 5 },
          attemptLedger: { tableName: 'ledger' },
          aws: { dynamodb },
        },
      );
      const records = Array.from({ length: k }, (_, index) =>
        fifoRecord(`g${index}`, { attributes: { ApproximateReceiveCount: '2' } }),
      );
      await processor(eventOf(records));
      expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(Math.ceil(k / 10));
      expect(ledger.commandCalls(BatchGetItemCommand)).toHaveLength(Math.ceil(k / 100));
      expect(ledger.commandCalls(BatchWriteItemCommand)).toHaveLength(Math.ceil(k / 25));
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    },
  );

  it('makes no AWS call at all for a healthy batch, with attempts counted and the ledger on', async () => {
    for (const [queueUrl, records] of [
      [DLQ_URL, [sqsRecord(), sqsRecord()]],
      [FIFO_DLQ_URL, [fifoRecord('a'), fifoRecord('b')]],
    ] as const) {
      const processor = createBatchProcessor(() => 'ok', {
        configFromEnvironment: false,
        redeliveryBackoff: { scheduleSeconds: [30] },
        deadLetter: { queueUrl, maxAttempts: 5 },
        attemptLedger: { tableName: 'ledger' },
        notifications: { topicArn: TOPIC_ARN },
        aws: { dynamodb },
      });
      await processor(eventOf([...records]));
    }
    expect(sqs.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
    expect(ledger.calls()).toHaveLength(0);
  });

  it('makes no AWS call at all for a healthy batch', async () => {
    const processor = createBatchProcessor(() => 'ok', {
      configFromEnvironment: false,
      redeliveryBackoff: { scheduleSeconds: [30] },
      deadLetter: { queueUrl: DLQ_URL },
      notifications: { topicArn: TOPIC_ARN },
    });
    await processor(eventOf([sqsRecord(), sqsRecord()]));
    expect(sqs.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });
});
