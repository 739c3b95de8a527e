import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { type BatchOptions, createBatchProcessor, PermanentError } from '../../lib/index.js';
import { BenchCheckError, type Suite } from '../suite.js';
import { acceptBatchCalls, acceptLedgerCalls } from '../support/acceptBatchCalls.js';
import { buildBatch } from '../support/sqsBatch.js';
import { printTable } from '../support/table.js';

/**
 * Issues 3 and 12: the AWS calls an invocation makes for k failed records. The target is the minimum,
 * ceil(k/10) per batch API and target it needs (DLQ sends, redelivery copies, visibility changes, event
 * publishes; attempt ledger reads by 100 and writes by 25, so at most as many), and none for a healthy
 * batch. Three ways back for a failed record: the visibility timeout alone (no attempt count), a
 * redelivery copy (standard queues, the default when attempts are counted), and the visibility timeout
 * with the attempt ledger (FIFO). Counted, not timed: the SDK clients answer from a mock, so the figure is
 * exact.
 */
const FAILED_COUNTS = [0, 1, 10, 11, 25, 100, 1_000];
const DLQ = 'https://sqs.us-east-1.amazonaws.com/111122223333/bench-dlq';
const FIFO_DLQ = 'https://sqs.us-east-1.amazonaws.com/111122223333/bench-dlq.fifo';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:bench-events';

interface Mode {
  readonly name: string;
  readonly fifo: boolean;
  readonly options: BatchOptions;
}

const dynamodb = new DynamoDBClient({ region: 'us-east-1' });

const MODES: readonly Mode[] = [
  { name: 'visibility, no count', fifo: false, options: { deadLetter: { queueUrl: DLQ } } },
  {
    name: 'copies (attempts counted)',
    fifo: false,
    options: { deadLetter: { queueUrl: DLQ, maxAttempts: 5 } },
  },
  {
    name: 'FIFO, attempt ledger',
    fifo: true,
    options: {
      fifoMode: 'skip-failed-group',
      deadLetter: { queueUrl: FIFO_DLQ, maxAttempts: 5 },
      attemptLedger: { tableName: 'bench-attempts' },
      aws: { dynamodb },
    },
  },
];

export const suite: Suite = {
  title: 'AWS calls per invocation for k failed records',
  async run() {
    const sqs = mockClient(SQSClient);
    const sns = mockClient(SNSClient);
    const ledger = mockClient(dynamodb);
    acceptBatchCalls(sqs, sns);
    acceptLedgerCalls(ledger);

    const rows: string[][] = [];
    let allMinimal = true;
    for (const mode of MODES) {
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
          notifications: { topicArn: TOPIC, events: ['message.retry-scheduled', 'message.dead-lettered'] },
          ...mode.options,
        },
      );
      for (const k of FAILED_COUNTS) {
        sqs.resetHistory();
        sns.resetHistory();
        ledger.resetHistory();
        // k records fail with a retryable error (redelivery), k with a permanent one (DLQ send); every
        // one of the 2k failures is announced (event publish). All were received before (ledger reads).
        await processor(failingEvent(k, mode.fifo));
        const sends = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.QueueUrl);
        const calls = {
          visibility: sqs.commandCalls(ChangeMessageVisibilityBatchCommand).length,
          dlq: sends.filter((url) => url === DLQ || url === FIFO_DLQ).length,
          copies: sends.filter((url) => url !== DLQ && url !== FIFO_DLQ).length,
          reads: ledger.commandCalls(BatchGetItemCommand).length,
          writes: ledger.commandCalls(BatchWriteItemCommand).length,
          publish: sns.commandCalls(PublishBatchCommand).length,
        };
        const perTen = Math.ceil(k / 10);
        const copies = mode.name.startsWith('copies');
        const minimum = {
          visibility: copies ? 0 : perTen,
          dlq: perTen,
          copies: copies ? perTen : 0,
          reads: mode.fifo ? Math.ceil((2 * k) / 100) : 0,
          writes: mode.fifo ? Math.ceil(k / 25) : 0,
          publish: Math.ceil((2 * k) / 10),
        };
        const minimal = (Object.keys(minimum) as (keyof typeof minimum)[]).every(
          (api) => calls[api] === minimum[api],
        );
        allMinimal &&= minimal;
        const cell = (api: keyof typeof minimum) => `${calls[api]} (min ${minimum[api]})`;
        rows.push([
          mode.name,
          String(k),
          cell('visibility'),
          cell('dlq'),
          cell('copies'),
          cell('reads'),
          cell('writes'),
          cell('publish'),
          minimal ? 'minimal' : 'MORE',
        ]);
      }
    }
    sqs.restore();
    sns.restore();
    ledger.restore();
    printTable(
      [
        { header: 'way back', align: 'left' },
        { header: 'k failed (each kind)', align: 'right' },
        { header: 'ChangeMessageVisibilityBatch', align: 'right' },
        { header: 'SendMessageBatch (DLQ)', align: 'right' },
        { header: 'SendMessageBatch (copies)', align: 'right' },
        { header: 'BatchGetItem (ledger)', align: 'right' },
        { header: 'BatchWriteItem (ledger)', align: 'right' },
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
          value: `ceil(k/10) per batch API (ledger reads ceil(k/100), writes ceil(k/25)) for every k in ${FAILED_COUNTS.join(', ')}, visibility, copies and ledger alike; 0 for a healthy batch`,
          met: allMinimal,
        },
      ],
    };
  },
};

/** 2k failing records and 10 healthy ones; a FIFO batch puts each record in a group of its own. */
function failingEvent(k: number, fifo: boolean): SQSEvent {
  const { event } = buildBatch({ records: 2 * k + 10, failingShare: 0 });
  event.Records.forEach((record, index) => {
    const kind = index < k ? 'transient' : index < 2 * k ? 'permanent' : 'ok';
    record.body = JSON.stringify({ ...(JSON.parse(record.body) as object), kind });
    if (kind !== 'ok') record.attributes.ApproximateReceiveCount = '2';
    if (fifo) {
      record.eventSourceARN = `${record.eventSourceARN}.fifo`;
      record.attributes.MessageGroupId = `group-${index}`;
      record.attributes.MessageDeduplicationId = record.messageId;
    }
  });
  return event;
}
