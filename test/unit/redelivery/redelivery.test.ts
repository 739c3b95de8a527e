import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { HISTORY_ATTRIBUTE } from '../../../lib/deadLetter/failureMetadata.js';
import { type BatchOptions, createBatchProcessor, PermanentError } from '../../../lib/index.js';
import { copyRecord, historyWith, stringAttribute } from '../../helpers/attemptHistories.js';
import { DLQ_URL, FIFO_DLQ_URL, throttlingError, useAwsMocks } from '../../helpers/awsMocks.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { SOURCE_URL } from '../../helpers/mockSqs.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, fifoRecord, type RecordOverrides, sqsRecord } from '../../helpers/sqsEvents.js';

const { sqs } = useAwsMocks();

const failingAt = (receiveCount: number, permanent = false) =>
  sqsRecord({
    body: JSON.stringify({ permanent }),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  });

function processor(logger = recordingLogger()) {
  return createBatchProcessor(
    (message: unknown) => {
      if ((message as { permanent: boolean }).permanent) throw new PermanentError('bad');
      throw new Error('downstream down');
    },
    {
      retry: false,
      logger,
      redeliveryBackoff: { scheduleSeconds: [10, 60, 300] },
      configFromEnvironment: false,
    },
  );
}

describe('redelivery backoff through the visibility timeout (no attempt count kept)', () => {
  it('sets each retryable failure to the delay of its receive count (the only count there is), then reports it failed', async () => {
    // Prepare
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => ({
      Successful: input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id })),
      Failed: [],
    }));
    const records = [failingAt(1), failingAt(2), failingAt(7)];
    // Act
    const result = await processor()(eventOf(records));
    // Assess
    const [call] = sqs.commandCalls(ChangeMessageVisibilityBatchCommand);
    expect(call?.args[0].input).toEqual({
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders',
      Entries: records.map((record, index) => ({
        Id: `e${index}`,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: [10, 60, 300][index],
      })),
    });
    expect(result.response.batchItemFailures).toHaveLength(3);
    expect(result.outcomes.map((outcome) => outcome.retryScheduled?.delaySeconds)).toEqual([10, 60, 300]);
  });

  it('releases records that were skipped (FIFO order) at once instead of after the visibility timeout', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => ({
      Successful: input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id })),
      Failed: [],
    }));
    const processor = createBatchProcessor(
      (message: unknown) => {
        if ((message as { fail: boolean }).fail) throw new Error('downstream down');
      },
      { retry: false, redeliveryBackoff: { scheduleSeconds: [10] }, configFromEnvironment: false },
    );
    const records = [
      fifoRecord('A', { body: '{"fail":true}' }),
      fifoRecord('B', { body: '{"fail":false}' }),
      fifoRecord('A', { body: '{"fail":false}' }),
    ];
    const result = await processor(eventOf(records));
    const entries = sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries;
    expect(entries?.map((entry) => entry.VisibilityTimeout)).toEqual([10, 0, 0]);
    expect(result.response.batchItemFailures).toHaveLength(3);
    // Their outcome event is message.retry-scheduled with retryInSeconds 0.
    expect(result.outcomes.map((outcome) => outcome.retryScheduled?.delaySeconds)).toEqual([10, 0, 0]);
  });

  it('leaves permanent failures and successes alone', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    await processor()(eventOf([failingAt(1, true)]));
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(0);
  });

  it('handles Failed[] entries one by one: the record still reports failed, and the refusal is logged', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({
      Successful: [{ Id: 'e0' }],
      Failed: [{ Id: 'e1', Code: 'ReceiptHandleIsInvalid', Message: 'expired', SenderFault: true }],
    });
    const logger = recordingLogger();
    const records = [failingAt(1), failingAt(1)];
    const result = await processor(logger)(eventOf(records));
    expect(result.response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.map((record) => record.messageId),
    );
    expect(result.outcomes[0]?.retryScheduled).toBeDefined();
    expect(result.outcomes[1]?.retryScheduled).toBeUndefined();
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        extra: [
          expect.objectContaining({ messageId: records[1]?.messageId, code: 'ReceiptHandleIsInvalid' }),
        ],
      }),
    );
  });

  it('loses nothing when the call itself keeps failing', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).rejects(new Error('socket hang up'));
    const result = await processor()(eventOf([failingAt(1), failingAt(2)]));
    expect(result.response.batchItemFailures).toHaveLength(2);
  });

  it('retries a throttled call', async () => {
    sqs
      .on(ChangeMessageVisibilityBatchCommand)
      .rejectsOnce(throttlingError())
      .resolves({ Successful: [{ Id: 'e0' }], Failed: [] });
    const result = await processor()(eventOf([failingAt(1)]));
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(2);
    expect(result.outcomes[0]?.retryScheduled?.delaySeconds).toBe(10);
  });
});

const accepting = (prefix = 'copy') =>
  sqs.on(SendMessageBatchCommand).callsFake((input) => ({
    Successful: input.Entries.map((entry: { Id: string }) => ({
      Id: entry.Id,
      MessageId: `${prefix}-${entry.Id}`,
    })),
    Failed: [],
  }));

const acceptVisibility = () =>
  sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => ({
    Successful: input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id })),
    Failed: [],
  }));

function counting(options: Partial<BatchOptions> = {}, logger = recordingLogger()) {
  return createBatchProcessor(
    (message: unknown) => {
      const { fail } = message as { fail?: boolean };
      if (fail === true) throw new Error('downstream down');
    },
    {
      retry: false,
      logger,
      configFromEnvironment: false,
      redeliveryBackoff: { scheduleSeconds: [10, 60, 3_600] },
      deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 },
      ...options,
    },
  );
}

const failing = (overrides: RecordOverrides = {}) => sqsRecord({ body: '{"fail":true}', ...overrides });

describe('redelivery as a fresh copy (standard queues, attempts counted)', () => {
  it('sends a failed record again with its delay, attributes, trace header and history, and reports the original handled', async () => {
    // Prepare
    accepting();
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    const record = failing({
      attributes: { AWSTraceHeader: header },
      messageAttributes: { tenant: stringAttribute('acme') },
    });
    // Act
    const result = await counting()(eventOf([record]), lambdaContext());
    // Assess
    const entry = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input;
    expect(entry?.QueueUrl).toBe(SOURCE_URL);
    expect(entry?.Entries?.[0]).toMatchObject({
      MessageBody: record.body,
      DelaySeconds: 10,
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: header } },
    });
    const attributes = entry?.Entries?.[0]?.MessageAttributes ?? {};
    expect(Object.keys(attributes)).toEqual(['tenant', HISTORY_ATTRIBUTE]);
    const carried = JSON.parse(attributes[HISTORY_ATTRIBUTE]?.StringValue ?? '');
    expect(carried).toMatchObject({
      messageId: record.messageId,
      attempts: 1,
      entries: [{ errorMessage: 'downstream down', calls: 1 }],
    });
    expect(Date.parse(carried.copiedAt)).toBeGreaterThan(0);
    expect(carried.dueAt).toBeUndefined();
    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.outcomes[0]?.retryScheduled).toMatchObject({ delaySeconds: 10, copyMessageId: 'copy-e0' });
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(0);
  });

  it('releases records the time budget or FIFO order kept from running as copies at once, even in visibility mode', async () => {
    accepting();
    const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
    mockClient(dynamodb).on(BatchWriteItemCommand).resolves({});
    const skippedRecord = sqsRecord({ body: '{}' });
    const processor = createBatchProcessor(() => new Promise(() => {}), {
      configFromEnvironment: false,
      redelivery: 'visibility',
      attemptLedger: { tableName: 'ledger' },
      deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 },
      aws: { dynamodb },
      concurrency: 1,
    });
    // The first record hangs past the budget; the second never starts.
    const result = await processor(eventOf([failing(), skippedRecord]), lambdaContext(1_200));
    expect(result.outcomes[1]?.status).toBe('skipped');
    const copies = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(copies.map((copy) => copy.DelaySeconds)).toEqual([0]);
    expect(
      JSON.parse(copies[0]?.MessageAttributes?.[HISTORY_ATTRIBUTE]?.StringValue ?? '').notAttempted.released,
    ).toBe(1);
    expect(result.response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      result.outcomes[0]?.record.messageId,
    ]);
  });

  it.each([
    [
      'SQS refuses the copy',
      () =>
        sqs.on(SendMessageBatchCommand).resolves({
          Successful: [],
          Failed: [{ Id: 'e0', Code: 'KmsThrottled', Message: 'slow down', SenderFault: true }],
        }),
      {},
    ],
    [
      'the message already carries 10 attributes',
      () => accepting(),
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, stringAttribute('v')])),
    ],
  ])(
    'keeps the record in place when %s: visibility delay, ledger entry, warning',
    async (_, arrange, messageAttributes) => {
      arrange();
      acceptVisibility();
      const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
      const dynamoMock = mockClient(dynamodb);
      dynamoMock.on(BatchWriteItemCommand).resolves({});
      const logger = recordingLogger();
      const record = failing({ messageAttributes });
      const result = await counting({ attemptLedger: { tableName: 'ledger' }, aws: { dynamodb } }, logger)(
        eventOf([record]),
        lambdaContext(),
      );
      expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(
        sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries?.[0]
          ?.VisibilityTimeout,
      ).toBe(10);
      const written =
        dynamoMock.commandCalls(BatchWriteItemCommand)[0]?.args[0].input.RequestItems?.ledger?.[0]?.PutRequest
          ?.Item;
      expect(written?.id?.S).toBe(record.messageId);
      expect(JSON.parse(written?.history?.S ?? '')).toMatchObject({ attempts: 1, receiveCount: 1 });
      expect(logger.lines.find((line) => line.level === 'warn')?.message).toMatch(/^No redelivery copy: /);
    },
  );

  it('chains copies for a delay beyond 900 s, and sends an early copy on without running it', async () => {
    accepting();
    let calls = 0;
    const processor = counting({
      deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 },
      redeliveryBackoff: { scheduleSeconds: [3_600] },
    });
    const wrapped = createBatchProcessor(
      (message: unknown) => {
        calls += 1;
        if ((message as { fail?: boolean }).fail) throw new Error('down');
      },
      {
        retry: false,
        configFromEnvironment: false,
        redeliveryBackoff: { scheduleSeconds: [3_600] },
        deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 },
      },
    );
    await processor(eventOf([failing()]), lambdaContext());
    const first = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0];
    expect(first?.DelaySeconds).toBe(900);
    const carried = JSON.parse(first?.MessageAttributes?.[HISTORY_ATTRIBUTE]?.StringValue ?? '');
    expect(Date.parse(carried.dueAt) - Date.parse(carried.copiedAt)).toBe(3_600_000);

    // The copy comes back after 900 s: it is not due yet, so it goes on without a handler call.
    sqs.resetHistory();
    const early = copyRecord(
      { ...carried, dueAt: new Date(Date.now() + 2_700_000).toISOString() },
      { body: '{"fail":true}' },
    );
    const result = await wrapped(eventOf([early]), lambdaContext());
    expect(calls).toBe(0);
    expect(result.outcomes[0]).toMatchObject({ status: 'skipped', attempts: 1 });
    expect(result.outcomes[0]?.history?.notAttempted.deferred).toBe(1);
    const next = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0];
    expect(next?.DelaySeconds).toBe(900);
    expect(result.response.batchItemFailures).toEqual([]);

    // Once due, it runs.
    await wrapped(
      eventOf([copyRecord({ ...carried, dueAt: new Date(Date.now() - 1).toISOString() })]),
      lambdaContext(),
    );
    expect(calls).toBe(1);
  });
});

describe('redelivery in place with the attempt ledger (FIFO, or visibility mode)', () => {
  it('keeps a failed FIFO record in place, reads the ledger for a redelivered one and writes both, nothing on a first receive', async () => {
    acceptVisibility();
    const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
    const dynamoMock = mockClient(dynamodb);
    const earlier = historyWith(2, { skipped: 1 });
    dynamoMock.on(BatchGetItemCommand).callsFake((input) => ({
      Responses: {
        ledger: input.RequestItems.ledger.Keys.map((key: { id: { S: string } }) => ({
          id: key.id,
          history: { S: JSON.stringify({ ...earlier, messageId: key.id.S, receiveCount: 3 }) },
        })),
      },
    }));
    dynamoMock.on(BatchWriteItemCommand).resolves({});
    const processor = counting({
      deadLetter: { queueUrl: FIFO_DLQ_URL, maxAttempts: 5 },
      attemptLedger: { tableName: 'ledger' },
      aws: { dynamodb },
    });
    const head = fifoRecord('g', { body: '{"fail":true}', attributes: { ApproximateReceiveCount: '5' } });
    const follower = fifoRecord('g', { body: '{}' });
    const result = await processor(eventOf([head, follower]), lambdaContext());

    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    const keys = dynamoMock.commandCalls(BatchGetItemCommand)[0]?.args[0].input.RequestItems?.ledger?.Keys;
    expect(keys).toEqual([{ id: { S: head.messageId } }]);
    // Two attempts before, this is the third; receives 4 went unreported (written at 3, received now at 5).
    expect(result.outcomes[0]).toMatchObject({ attempts: 3 });
    expect(result.outcomes[0]?.history?.notAttempted).toMatchObject({ skipped: 1, unreported: 1 });
    expect(
      sqs
        .commandCalls(ChangeMessageVisibilityBatchCommand)[0]
        ?.args[0].input.Entries?.map((entry) => entry.VisibilityTimeout),
    ).toEqual([3_600, 0]);
    const items = dynamoMock.commandCalls(BatchWriteItemCommand)[0]?.args[0].input.RequestItems?.ledger ?? [];
    expect(items.map((item) => JSON.parse(item.PutRequest?.Item?.history?.S ?? '').attempts)).toEqual([3, 0]);
    expect(items.map((item) => JSON.parse(item.PutRequest?.Item?.history?.S ?? '').receiveCount)).toEqual([
      5, 1,
    ]);
    expect(Number(items[0]?.PutRequest?.Item?.expiration?.N)).toBeGreaterThan(Date.now() / 1_000 + 1_209_000);
  });

  it('makes no call at all when every record of a FIFO batch succeeds on its first receive', async () => {
    const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
    const dynamoMock = mockClient(dynamodb);
    const processor = counting({
      deadLetter: { queueUrl: FIFO_DLQ_URL, maxAttempts: 5 },
      attemptLedger: { tableName: 'ledger' },
      aws: { dynamodb },
    });
    await processor(eventOf([fifoRecord('g'), fifoRecord('g')]), lambdaContext());
    expect(dynamoMock.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });
});
