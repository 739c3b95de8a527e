import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { acceptBatchCalls } from '../../../bench/support/acceptBatchCalls.js';
import { parseFailsafeEvent, readFailureMetadata } from '../../../lib/events/index.js';
import {
  createBatchProcessor,
  InvalidEventError,
  MalformedRecordError,
  PermanentError,
  type SqsRecord,
} from '../../../lib/index.js';
import { DLQ_URL, TOPIC_ARN, useAwsMocks } from '../../helpers/awsMocks.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, fifoRecord, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Issue 13: one malformed record broke its batch. A record without `attributes` escaped as a TypeError;
 * without `messageAttributes`, without SentTimestamp or ApproximateFirstReceiveTimestamp, or with a
 * non-numeric ApproximateReceiveCount, dead-letter routing or notifications failed for every record of
 * the batch; a SentTimestamp in seconds made a fresh message look 56 years old and dead-lettered it
 * unprocessed. Now a bad record is handled alone, by the rules in docs/runtime.md ("Bad input").
 */

const { sqs, sns } = useAwsMocks();

/**
 * Fails bodies `{"fail":"permanent"}` and `{"fail":"transient"}`; everything else succeeds. Attempts are
 * counted (5, so failed records come back as redelivery copies) unless `counted` is false.
 */
function processor(logger = recordingLogger(), counted = true) {
  const maxAttempts = counted ? 5 : undefined;
  return createBatchProcessor(
    (message: unknown) => {
      const { fail } = message as { fail?: string };
      if (fail === 'permanent') throw new PermanentError('order rejected');
      if (fail === 'transient') throw new Error('downstream timeout');
    },
    {
      retry: false,
      configFromEnvironment: false,
      logger,
      deadLetter: { queueUrl: DLQ_URL, maxAttempts, maxAgeSeconds: 3_600 },
      redeliveryBackoff: { baseSeconds: 30 },
      notifications: {
        topicArn: TOPIC_ARN,
        events: ['message.dead-lettered', 'message.failed', 'message.retry-scheduled'],
      },
    },
  );
}

/** A record as Lambda sends it, then with `mutate` applied (fields deleted or replaced). */
function broken(body: string, mutate: (record: Record<string, unknown>) => void): SqsRecord {
  const record = sqsRecord({ body, attributes: { SentTimestamp: String(Date.now()) } }) as unknown as Record<
    string,
    unknown
  >;
  mutate(record);
  return record as unknown as SqsRecord;
}

const withAttributes = (record: Record<string, unknown>, change: Record<string, string | undefined>) => {
  const attributes = { ...(record.attributes as Record<string, string>) };
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete attributes[name];
    else attributes[name] = value;
  }
  record.attributes = attributes;
};

const fresh = (body: string) => sqsRecord({ body, attributes: { SentTimestamp: String(Date.now()) } });
const sentEntries = (toDeadLetterQueue: boolean) =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .filter((call) => (call.args[0].input.QueueUrl === DLQ_URL) === toDeadLetterQueue)
    .flatMap((call) => call.args[0].input.Entries ?? []);
const dlqEntries = () => sentEntries(true);
/** Redelivery copies: sends to the source queue. */
const copyEntries = () => sentEntries(false);
const publishedEvents = () =>
  sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? [])
    .map((entry) => JSON.parse(entry.Message ?? ''));

describe('malformed records are handled one by one', () => {
  it('a record without attributes is read with empty ones and processed; the batch is not broken', async () => {
    acceptBatchCalls(sqs, sns);
    const logger = recordingLogger();
    const bad = broken('{}', (record) => {
      delete record.attributes;
    });
    const good = fresh('{}');
    const result = await processor(logger)(eventOf([bad, good]), lambdaContext());
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['succeeded', 'succeeded']);
    expect(result.response.batchItemFailures).toEqual([]);
    expect(logger.lines.some((line) => line.level === 'warn' && /has no attributes/.test(line.message))).toBe(
      true,
    );
  });

  it('a FIFO record without attributes does not break the batch either', async () => {
    acceptBatchCalls(sqs, sns);
    const bad = fifoRecord('g1') as unknown as Record<string, unknown>;
    delete bad.attributes;
    const good = fifoRecord('g1', { attributes: { SentTimestamp: String(Date.now()) } });
    const result = await processor()(eventOf([bad as unknown as SqsRecord, good]));
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('a record without messageAttributes does not stop dead-letter routing or events for the others', async () => {
    acceptBatchCalls(sqs, sns);
    const bad = broken('{"fail":"permanent"}', (record) => {
      delete record.messageAttributes;
    });
    const other = fresh('{"fail":"permanent"}');
    const result = await processor()(eventOf([bad, other]));
    expect(result.outcomes.map((outcome) => outcome.deadLetter !== undefined)).toEqual([true, true]);
    expect(publishedEvents().map((event) => event.type)).toEqual([
      'message.dead-lettered',
      'message.dead-lettered',
    ]);
  });

  it.each(['SentTimestamp', 'ApproximateFirstReceiveTimestamp'])(
    'a record without %s does not stop dead-letter routing or events for the others',
    async (attribute) => {
      acceptBatchCalls(sqs, sns);
      const bad = broken('{"fail":"permanent"}', (record) =>
        withAttributes(record, { [attribute]: undefined }),
      );
      const other = fresh('{"fail":"permanent"}');
      const result = await processor()(eventOf([bad, other]));
      expect(result.response.batchItemFailures).toEqual([]);
      expect(dlqEntries()).toHaveLength(2);
      const events = publishedEvents();
      expect(events).toHaveLength(2);
      for (const event of events) parseFailsafeEvent(event);
    },
  );

  it.each([
    ['visibility changes (no attempt count)', false],
    ['redelivery copies (attempts counted)', true],
  ] as const)(
    'a non-numeric ApproximateReceiveCount is missing: valid metadata, events and %s for every record',
    async (_, counted) => {
      acceptBatchCalls(sqs, sns);
      const permanent = broken('{"fail":"permanent"}', (record) =>
        withAttributes(record, { ApproximateReceiveCount: 'many' }),
      );
      const transient = broken('{"fail":"transient"}', (record) =>
        withAttributes(record, { ApproximateReceiveCount: 'many' }),
      );
      const result = await processor(
        recordingLogger(),
        counted,
      )(eventOf([permanent, transient, fresh('{"fail":"transient"}')]));
      // Metadata: no NaN in a Number attribute (SQS refuses it).
      const metadata = readFailureMetadata(dlqEntries()[0]?.MessageAttributes ?? {});
      expect(metadata?.reason).toBe('permanent-error');
      expect(Number.isNaN(metadata?.receiveCount)).toBe(false);
      // The way back: a whole number of seconds for each, the unusable count read as a first receive.
      const delays = !counted
        ? sqs
            .commandCalls(ChangeMessageVisibilityBatchCommand)
            .flatMap((call) => call.args[0].input.Entries ?? [])
            .map((change) => change.VisibilityTimeout)
        : copyEntries().map((copy) => copy.DelaySeconds);
      expect(delays).toHaveLength(2);
      for (const delay of delays) expect(Number.isInteger(delay)).toBe(true);
      // Events: every one valid against the schema.
      for (const event of publishedEvents()) parseFailsafeEvent(event);
      expect(result.outcomes[1]?.retryScheduled).toBeDefined();
    },
  );

  it('a SentTimestamp in seconds is missing, with a warning, never "too old": the message is processed', async () => {
    acceptBatchCalls(sqs, sns);
    const logger = recordingLogger();
    const seconds = broken('{}', (record) =>
      withAttributes(record, { SentTimestamp: String(Math.floor(Date.now() / 1_000)) }),
    );
    const result = await processor(logger)(eventOf([seconds]));
    expect(result.outcomes[0]?.status).toBe('succeeded');
    expect(dlqEntries()).toHaveLength(0);
    expect(
      logger.lines.some(
        (line) =>
          line.level === 'warn' &&
          /SentTimestamp .* is not epoch milliseconds; treated as missing/.test(line.message),
      ),
    ).toBe(true);
  });

  it('a record without a body fails alone (reported, untouched, not dead-lettered); the others are processed', async () => {
    acceptBatchCalls(sqs, sns);
    const logger = recordingLogger();
    const bad = broken('{}', (record) => {
      delete record.body;
    });
    const good = fresh('{}');
    const result = await processor(logger)(eventOf([bad, good]));
    expect(result.outcomes[0]?.error).toBeInstanceOf(MalformedRecordError);
    expect(result.outcomes[1]?.status).toBe('succeeded');
    expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    expect(dlqEntries()).toHaveLength(0);
    // Its event goes out like any other, and the batch's events are not lost to it.
    const events = publishedEvents();
    expect(events.map((event) => event.message.messageId)).toEqual([bad.messageId]);
    for (const event of events) parseFailsafeEvent(event);
  });

  it('an event that is not SQS still gets InvalidEventError, and a record without messageId too', async () => {
    await expect(processor()({ Records: [{ eventSource: 'aws:sns', messageId: 'x' }] })).rejects.toThrowError(
      InvalidEventError,
    );
    const noId = broken('{}', (record) => {
      delete record.messageId;
    });
    await expect(processor()(eventOf([noId, fresh('{}')]))).rejects.toThrowError(InvalidEventError);
  });
});
