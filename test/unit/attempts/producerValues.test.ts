import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HISTORY_ATTRIBUTE } from '../../../lib/deadLetter/failureMetadata.js';
import { createBatchProcessor, METRIC, type SqsMessageAttribute } from '../../../lib/index.js';
import { copyRecord, historyWith, stringAttribute } from '../../helpers/attemptHistories.js';
import { DLQ_URL, FIFO_DLQ_URL, useAwsMocks } from '../../helpers/awsMocks.js';
import { captureMetricLines } from '../../helpers/metricLines.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, fifoRecord, sqsRecord } from '../../helpers/sqsEvents.js';

const { sqs } = useAwsMocks();
const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
mockClient(dynamodb).on(BatchWriteItemCommand).resolves({});

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Issue 12: a producer may set `failsafe.history` itself, by mistake or by forwarding a message it
 * received. Whatever it holds, the batch runs, the value is ignored with a warning, and the message gets
 * its whole retry life: its first failure here is its first attempt.
 */
const history = historyWith(3);
const json = (value: unknown) => stringAttribute(JSON.stringify(value));

const producerValues: [string, SqsMessageAttribute, RegExp][] = [
  ['not JSON', stringAttribute('three'), /it is not JSON/],
  ['a number', stringAttribute('3', 'Number'), /it is a Number attribute, not a String one/],
  [
    'binary',
    { dataType: 'Binary', binaryValue: 'AAEC', stringListValues: [], binaryListValues: [] },
    /Binary attribute/,
  ],
  ['a JSON list', json([1, 2, 3]), /not a JSON object/],
  ['non-numeric attempts', json({ ...history, attempts: 'three' }), /attempts is not an integer/],
  ['negative attempts', json({ ...history, attempts: -1 }), /attempts is not an integer/],
  ['huge attempts', json({ ...history, attempts: 1e12 }), /attempts is not an integer/],
  ['fractional attempts', json({ ...history, attempts: 2.5 }), /attempts is not an integer/],
  ['attempts the entries do not add up to', json({ ...history, attempts: 999 }), /do not add up to attempts/],
  [
    'a first send that is not a time',
    json({ ...history, firstSentAt: 'yesterday' }),
    /firstSentAt is not an ISO 8601 time/,
  ],
  [
    'a malformed entry',
    json({ ...history, entries: [{ at: 1 }, ...history.entries.slice(1)] }),
    /an entry is not an attempt/,
  ],
  ['another version', json({ ...history, version: 2 }), /version is not 1/],
  ['no copy time', json(history), /does not say when it was copied/],
  [
    'a history copied over from another message (sent long after it was copied)',
    json({ ...history, copiedAt: '2020-01-01T00:00:00.000Z' }),
    /belongs to another message/,
  ],
  [
    'counts of the wrong type',
    json({ ...history, notAttempted: { skipped: '2' } }),
    /notAttempted does not count/,
  ],
];

function processor(logger = recordingLogger(), fifo = false) {
  return createBatchProcessor(
    () => {
      throw new Error('downstream unavailable');
    },
    {
      retry: false,
      logger,
      metrics: true,
      configFromEnvironment: false,
      redeliveryBackoff: { scheduleSeconds: [10] },
      deadLetter: { queueUrl: fifo ? FIFO_DLQ_URL : DLQ_URL, maxAttempts: 4 },
      ...(fifo ? { attemptLedger: { tableName: 'ledger' } } : {}),
      aws: { dynamodb },
    },
  );
}

describe('attempt history values a producer set', () => {
  it.each(producerValues)(
    'ignores %s with a warning: the batch runs, the message keeps its whole life',
    async (_, value, problem) => {
      // Prepare
      sqs.on(SendMessageBatchCommand).callsFake((input) => ({
        Successful: input.Entries.map((entry: { Id: string }) => ({
          Id: entry.Id,
          MessageId: `copy-${entry.Id}`,
        })),
        Failed: [],
      }));
      const lines = captureMetricLines();
      const logger = recordingLogger();
      const record = sqsRecord({ messageAttributes: { [HISTORY_ATTRIBUTE]: value } });
      // Act
      const result = await processor(logger)(eventOf([record, sqsRecord()]));
      // Assess
      expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'failed']);
      expect(result.outcomes[0]).toMatchObject({ messageId: record.messageId, attempts: 1 });
      expect(result.outcomes[0]?.deadLetter).toBeUndefined();
      expect(result.outcomes[0]?.history?.entries).toHaveLength(1);
      const warning = logger.lines.find((line) => line.level === 'warn');
      expect(warning?.message).toMatch(problem);
      expect(warning?.message).toContain(`The ${HISTORY_ATTRIBUTE} message attribute was ignored`);
      expect(warning?.extra).toEqual([{ messageId: record.messageId }]);
      expect(lines[0]?.[METRIC.attemptHistoriesIgnored]).toBe(1);
    },
  );

  it('believes a history its own copy carries: the attempts go on from it', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input) => ({
      Successful: input.Entries.map((entry: { Id: string }) => ({
        Id: entry.Id,
        MessageId: `m-${entry.Id}`,
      })),
      Failed: [],
    }));
    const result = await processor()(eventOf([copyRecord(history)]));
    expect(result.outcomes[0]).toMatchObject({ messageId: history.messageId, attempts: 4 });
    expect(result.outcomes[0]?.deadLetter?.reason).toBe('max-attempts-reached');
  });

  it('ignores any history on a FIFO message, which is never redelivered as a copy', async () => {
    const logger = recordingLogger();
    const record = fifoRecord('g', {
      messageAttributes: { [HISTORY_ATTRIBUTE]: json({ ...history, copiedAt: new Date().toISOString() }) },
    });
    const result = await processor(logger, true)(eventOf([record]));
    expect(result.outcomes[0]).toMatchObject({ messageId: record.messageId, attempts: 1 });
    expect(logger.lines.find((line) => line.level === 'warn')?.message).toMatch(
      /FIFO messages are never redelivered as copies/,
    );
  });
});
