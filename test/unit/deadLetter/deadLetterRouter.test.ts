import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  FAILURE_ATTRIBUTES,
  FAILURE_JSON_ATTRIBUTE,
  readFailureMetadata,
} from '../../../lib/events/index.js';
import {
  AttemptsExhaustedError,
  createBatchProcessor,
  DeadLetterRoutingError,
  MessageExpiredError,
  PermanentError,
  type SqsMessageAttribute,
  type SqsRecord,
} from '../../../lib/index.js';
import { copyRecord, historyWith } from '../../helpers/attemptHistories.js';
import { DLQ_URL, FIFO_DLQ_URL, throttlingError, useAwsMocks } from '../../helpers/awsMocks.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, fifoRecord, sqsRecord } from '../../helpers/sqsEvents.js';

const { sqs } = useAwsMocks();

const acceptAll = () =>
  sqs.on(SendMessageBatchCommand).callsFake((input) => ({
    Successful: input.Entries.map((entry: { Id: string }) => ({
      Id: entry.Id,
      MessageId: `dlq-${entry.Id}`,
    })),
    Failed: [],
  }));

const stringAttribute = (value: string): SqsMessageAttribute => ({
  stringValue: value,
  dataType: 'String',
  stringListValues: [],
  binaryListValues: [],
});

function router(logger = recordingLogger(), deadLetter: Record<string, unknown> = {}) {
  return createBatchProcessor(
    (message: unknown) => {
      const { fail } = message as { fail?: 'permanent' | 'transient' };
      if (fail === 'permanent') throw new PermanentError('order rejected: no customer');
      if (fail === 'transient') throw new Error('downstream timeout');
    },
    { retry: false, logger, configFromEnvironment: false, deadLetter: { queueUrl: DLQ_URL, ...deadLetter } },
  );
}

const permanent = (overrides: Partial<SqsRecord> = {}) =>
  sqsRecord({ body: '{"fail":"permanent"}', ...overrides });

describe('dead-letter routing', () => {
  it('sends a permanent failure to the DLQ with its body, attributes and failure metadata, then reports it handled', async () => {
    // Prepare
    acceptAll();
    const record = permanent({ messageAttributes: { tenant: stringAttribute('acme') } });
    // Act
    const result = await router()(
      eventOf([record, sqsRecord({ body: '{}' })]),
      lambdaContext(30_000, 'orders-worker'),
    );
    // Assess
    expect(result.response.batchItemFailures).toEqual([]);
    const entry = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.MessageBody).toBe(record.body);
    expect(entry?.MessageAttributes?.tenant).toEqual({ DataType: 'String', StringValue: 'acme' });
    const metadata = readFailureMetadata(entry?.MessageAttributes ?? {});
    expect(metadata).toMatchObject({
      errorClass: 'PermanentError',
      errorMessage: 'order rejected: no customer',
      reason: 'permanent-error',
      receiveCount: 1,
      attempts: 1,
      sourceQueueArn: record.eventSourceARN,
      firstReceivedAt: new Date(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toISOString(),
      functionName: 'orders-worker',
    });
    expect(Date.parse(metadata?.deadLetteredAt ?? '')).toBeGreaterThan(0);
    // Its own attribute and the metadata as one JSON attribute: nine fields and the history need ten.
    expect(Object.keys(entry?.MessageAttributes ?? {})).toEqual(['tenant', FAILURE_JSON_ATTRIBUTE]);
    expect(metadata?.history).toMatchObject({
      messageId: record.messageId,
      attempts: 1,
      entries: [
        {
          invocation: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
          errorClass: 'PermanentError',
          errorMessage: 'order rejected: no customer',
          calls: 1,
        },
      ],
    });
    expect(result.outcomes[0]?.deadLetter).toMatchObject({
      queueUrl: DLQ_URL,
      messageId: 'dlq-e0',
      reason: 'permanent-error',
    });
  });

  it('carries the X-Ray trace header over to the dead letter, and sends none when the record has none', async () => {
    acceptAll();
    const traced = permanent({ messageId: 'traced' });
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const record = { ...traced, attributes: { ...traced.attributes, AWSTraceHeader: header } };
    await router()(eventOf([record, permanent({ messageId: 'untraced' })]), lambdaContext(30_000));
    const entries = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries[0]?.MessageSystemAttributes).toEqual({
      AWSTraceHeader: { DataType: 'String', StringValue: header },
    });
    expect(entries[1]).not.toHaveProperty('MessageSystemAttributes');
  });

  it('puts the metadata in one JSON attribute when the message has too many attributes of its own', async () => {
    acceptAll();
    const attributes = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [`a${i}`, stringAttribute(`v${i}`)]),
    );
    await router()(eventOf([permanent({ messageAttributes: attributes })]));
    const sent =
      sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageAttributes ?? {};
    expect(Object.keys(sent)).toHaveLength(10);
    expect(sent[FAILURE_JSON_ATTRIBUTE]?.StringValue).toContain('"reason":"permanent-error"');
    expect(sent[FAILURE_ATTRIBUTES.errorClass]).toBeUndefined();
    expect(readFailureMetadata(sent)?.errorClass).toBe('PermanentError');
  });

  it('keeps a message that already carries 10 attributes in the source, with a clear error', async () => {
    acceptAll();
    const logger = recordingLogger();
    const attributes = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, stringAttribute(`v${i}`)]),
    );
    const record = permanent({ messageAttributes: attributes });
    const result = await router(logger)(eventOf([record]));
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(result.outcomes[0]?.deadLetterError).toBeInstanceOf(DeadLetterRoutingError);
    expect(result.outcomes[0]?.deadLetterError?.message).toBe(
      `Message ${record.messageId} could not be dead-lettered: it carries 10 message attributes, SQS's maximum, so ` +
        'the failure metadata cannot be attached. It stays in the source queue and reaches the DLQ through the queue ' +
        'redrive policy.',
    );
    expect(
      logger.lines.some((line) => line.level === 'error' && line.message.includes(record.messageId)),
    ).toBe(true);
  });

  it('keeps a message whose body leaves no room for the metadata in the source, with a clear error', async () => {
    acceptAll();
    const record = sqsRecord({ body: JSON.stringify({ fail: 'permanent', pad: 'x'.repeat(1_048_500) }) });
    const result = await router()(eventOf([record]));
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(result.response.batchItemFailures).toHaveLength(1);
    expect(result.outcomes[0]?.deadLetterError?.message).toMatch(
      /its body \(\d+ bytes\) leaves no room for the failure metadata/,
    );
  });

  it('cuts a long error message so the copy fits', async () => {
    acceptAll();
    const longFailure = createBatchProcessor(
      () => {
        throw new PermanentError('x'.repeat(10_000));
      },
      { retry: false, configFromEnvironment: false, deadLetter: { queueUrl: DLQ_URL } },
    );
    await longFailure(eventOf([sqsRecord()]));
    const sent =
      sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageAttributes ?? {};
    expect(readFailureMetadata(sent)?.errorMessage).toHaveLength(2_048);
  });

  it.each([
    [
      'a Failed[] entry',
      () =>
        sqs.on(SendMessageBatchCommand).resolves({
          Successful: [],
          Failed: [{ Id: 'e0', Code: 'KmsAccessDenied', Message: 'no key', SenderFault: true }],
        }),
    ],
    [
      'a call that keeps failing',
      () => sqs.on(SendMessageBatchCommand).rejects(new Error('connection reset')),
    ],
  ])('reports the record failed (it stays in the source) after %s', async (_, arrange) => {
    arrange();
    const record = permanent();
    const result = await router()(eventOf([record]));
    expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(result.outcomes[0]?.deadLetter).toBeUndefined();
    expect(result.outcomes[0]?.deadLetterError?.message).toMatch(/the DLQ did not accept it/);
  });

  it('retries a throttled send', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .rejectsOnce(throttlingError())
      .resolves({ Successful: [{ Id: 'e0', MessageId: 'dlq-1', MD5OfMessageBody: '' }], Failed: [] });
    const result = await router()(eventOf([permanent()]));
    expect(result.response.batchItemFailures).toEqual([]);
  });

  it('does not process a message older than the max age; sends it to the DLQ', async () => {
    acceptAll();
    let calls = 0;
    const processor = createBatchProcessor(
      () => {
        calls += 1;
      },
      { configFromEnvironment: false, deadLetter: { queueUrl: DLQ_URL, maxAgeSeconds: 3_600 } },
    );
    const old = sqsRecord({ attributes: { SentTimestamp: String(Date.now() - 2 * 3_600_000) } });
    const fresh = sqsRecord({ attributes: { SentTimestamp: String(Date.now() - 60_000) } });
    const result = await processor(eventOf([old, fresh]));
    expect(calls).toBe(1);
    expect(result.outcomes[0]?.error).toBeInstanceOf(MessageExpiredError);
    expect(result.outcomes[0]?.deadLetter?.reason).toBe('max-age-exceeded');
    expect(result.response.batchItemFailures).toEqual([]);
  });

  it('dead-letters a message failing its maxAttempts-th attempt, counted by its history, not by its receive count', async () => {
    acceptAll();
    // Four attempts behind it, as a redelivery copy carries them; this is its fifth.
    const last = copyRecord(historyWith(4), { body: '{"fail":"transient"}' });
    // Received five times, but never attempted before (it waited behind others): one attempt now.
    const waited = sqsRecord({ body: '{"fail":"transient"}', attributes: { ApproximateReceiveCount: '5' } });
    const result = await router(recordingLogger(), { maxAttempts: 5 })(
      eventOf([last, waited]),
      lambdaContext(30_000),
    );
    expect(result.outcomes[0]?.deadLetter?.reason).toBe('max-attempts-reached');
    expect(result.outcomes[1]?.deadLetter).toBeUndefined();
    expect(result.outcomes[1]?.attempts).toBe(1);
    const sent = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    const metadata = readFailureMetadata(
      sent.find((entry) => entry.MessageBody === last.body)?.MessageAttributes ?? {},
    );
    expect(metadata).toMatchObject({ reason: 'max-attempts-reached', attempts: 5 });
    expect(metadata?.history?.entries).toHaveLength(5);
  });

  it('dead-letters without processing a message whose attempts were already spent (its dead-lettering did not finish)', async () => {
    acceptAll();
    let calls = 0;
    const processor = createBatchProcessor(
      () => {
        calls += 1;
      },
      { configFromEnvironment: false, deadLetter: { queueUrl: DLQ_URL, maxAttempts: 4 } },
    );
    const spent = copyRecord(historyWith(4));
    const result = await processor(eventOf([spent, copyRecord(historyWith(3))]));
    expect(calls).toBe(1);
    expect(result.outcomes[0]?.error).toBeInstanceOf(AttemptsExhaustedError);
    expect(result.outcomes[0]?.error?.message).toMatch(
      /already failed 4 attempts, deadLetter.maxAttempts \(4\)/,
    );
    expect(result.outcomes[0]?.deadLetter?.reason).toBe('max-attempts-reached');
    expect(result.response.batchItemFailures).toEqual([]);
  });

  it('never dead-letters by count a message whose receives were not attempts, however many', async () => {
    acceptAll();
    const processor = createBatchProcessor(() => 'done', {
      configFromEnvironment: false,
      deadLetter: { queueUrl: DLQ_URL, maxAttempts: 2 },
    });
    const waited = copyRecord(historyWith(0, { skipped: 40, released: 9, held: 3, unreported: 2 }), {
      attributes: { ApproximateReceiveCount: '7' },
    });
    const result = await processor(eventOf([waited]));
    expect(result.outcomes[0]?.status).toBe('succeeded');
    expect(result.outcomes[0]?.attempts).toBe(1);
  });

  it('keeps the message group and uses the message id as deduplication id on a FIFO DLQ', async () => {
    acceptAll();
    const processor = createBatchProcessor(
      () => {
        throw new PermanentError('bad');
      },
      { configFromEnvironment: false, deadLetter: { queueUrl: FIFO_DLQ_URL } },
    );
    const record = fifoRecord('account-7');
    await processor(eventOf([record]));
    const entry = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ MessageGroupId: 'account-7', MessageDeduplicationId: record.messageId });
  });

  it('refuses to route between a FIFO source and a standard DLQ, keeping the messages', async () => {
    acceptAll();
    const processor = createBatchProcessor(
      () => {
        throw new PermanentError('bad');
      },
      { configFromEnvironment: false, deadLetter: { queueUrl: DLQ_URL } },
    );
    const result = await processor(eventOf([fifoRecord('g')]));
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(result.response.batchItemFailures).toHaveLength(1);
    expect(result.outcomes[0]?.deadLetterError?.message).toMatch(
      /is standard but the source queue ledger.fifo is FIFO/,
    );
  });

  it('never routes a skipped FIFO record (it did not fail itself)', async () => {
    acceptAll();
    const processor = createBatchProcessor(
      () => {
        throw new PermanentError('bad');
      },
      { configFromEnvironment: false, deadLetter: { queueUrl: FIFO_DLQ_URL } },
    );
    const records = [fifoRecord('g'), fifoRecord('g')];
    const result = await processor(eventOf(records));
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries).toHaveLength(1);
    expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.messageId }]);
  });
});
