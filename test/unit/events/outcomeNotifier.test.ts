import { createHash } from 'node:crypto';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CALLBACK_TOPIC_ATTRIBUTE,
  type FailsafeEvent,
  type FailsafeEventOf,
  parseFailsafeEvent,
  readFailureMetadata,
} from '../../../lib/events/index.js';
import {
  createBatchProcessor,
  type NotificationEventType,
  PermanentError,
  type SqsRecord,
} from '../../../lib/index.js';
import { copyRecord, historyWith } from '../../helpers/attemptHistories.js';
import { DLQ_URL, TOPIC_ARN, throttlingError, useAwsMocks } from '../../helpers/awsMocks.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { captureMetricLines } from '../../helpers/metricLines.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

const { sqs, sns } = useAwsMocks();
const CALLBACK_TOPIC = 'arn:aws:sns:eu-west-1:111122223333:producer-callbacks';

function acceptEverything() {
  const accept = (input: { Entries?: { Id: string }[]; PublishBatchRequestEntries?: { Id: string }[] }) => ({
    Successful: (input.Entries ?? input.PublishBatchRequestEntries ?? []).map(({ Id }) => ({
      Id,
      MessageId: `id-${Id}`,
    })),
    Failed: [],
  });
  sqs.on(SendMessageBatchCommand).callsFake(accept);
  sqs.on(ChangeMessageVisibilityBatchCommand).callsFake(accept);
  sns.on(PublishBatchCommand).callsFake(accept);
}

/** outcome: ok | transient | permanent */
const record = (outcome: string, extra: Partial<SqsRecord> = {}) =>
  sqsRecord({ body: JSON.stringify({ outcome }), ...extra });

function notifier(
  options: {
    events?: NotificationEventType[];
    includeBody?: boolean;
    logger?: ReturnType<typeof recordingLogger>;
    backoff?: boolean;
  } = {},
) {
  return createBatchProcessor(
    (message: unknown) => {
      const { outcome } = message as { outcome: string };
      if (outcome === 'permanent') throw new PermanentError('invalid order');
      if (outcome === 'transient') throw new Error('x'.repeat(9_000));
    },
    {
      retry: false,
      configFromEnvironment: false,
      logger: options.logger ?? recordingLogger(),
      deadLetter: { queueUrl: DLQ_URL },
      ...(options.backoff ? { redeliveryBackoff: { scheduleSeconds: [30] } } : {}),
      notifications: {
        topicArn: TOPIC_ARN,
        callbackTopicAllowList: [CALLBACK_TOPIC],
        ...(options.events ? { events: options.events } : {}),
        ...(options.includeBody ? { includeBody: true } : {}),
      },
    },
  );
}

function published(topicArn = TOPIC_ARN) {
  return sns
    .commandCalls(PublishBatchCommand)
    .filter((call) => call.args[0].input.TopicArn === topicArn)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
}

const events = (topicArn = TOPIC_ARN) =>
  published(topicArn).map((entry) => parseFailsafeEvent(JSON.parse(entry.Message ?? '')));

describe('outcome notifications', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('publishes dead-lettered and failed events by default, valid against the versioned schema', async () => {
    acceptEverything();
    await notifier()(
      eventOf([record('ok'), record('permanent'), record('transient')]),
      lambdaContext(30_000, 'worker'),
    );
    expect(
      events()
        .map((event) => event.type)
        .sort(),
    ).toEqual(['message.dead-lettered', 'message.failed']);
  });

  it('gives each record exactly one event type: succeeded, retry-scheduled, dead-lettered or failed', async () => {
    acceptEverything();
    await notifier({
      backoff: true,
      events: [
        'message.succeeded',
        'message.failed',
        'message.retry-scheduled',
        'message.dead-lettered',
        'batch.completed',
      ],
    })(eventOf([record('ok'), record('permanent'), record('transient')]));
    const byType = Object.groupBy(events(), (event) => event.type);
    expect(byType['message.succeeded']).toHaveLength(1);
    expect(byType['message.dead-lettered']).toHaveLength(1);
    expect(byType['message.retry-scheduled']).toHaveLength(1);
    expect(byType['message.failed']).toBeUndefined();
    const [completed] = byType['batch.completed'] ?? [];
    expect(completed).toMatchObject({
      batch: { records: 3, succeeded: 1, deadLettered: 1, retryScheduled: 1, failed: 0, timedOut: false },
    });
    const scheduled = byType['message.retry-scheduled']?.[0] as Extract<
      FailsafeEvent,
      { type: 'message.retry-scheduled' }
    >;
    expect(scheduled.outcome.retryInSeconds).toBe(30);
  });

  it('carries the message identity and attempt numbers that agree with the attempt history', async () => {
    acceptEverything();
    const processor = createBatchProcessor(
      (message: unknown) => {
        if ((message as { outcome: string }).outcome === 'transient') throw new Error('downstream down');
      },
      {
        retry: false,
        configFromEnvironment: false,
        redeliveryBackoff: { scheduleSeconds: [30] },
        deadLetter: { queueUrl: DLQ_URL, maxAttempts: 4 },
        notifications: {
          topicArn: TOPIC_ARN,
          events: ['message.succeeded', 'message.retry-scheduled', 'message.dead-lettered'],
        },
      },
    );
    const last = copyRecord(historyWith(3), { body: '{"outcome":"transient"}' });
    const again = copyRecord(historyWith(1), { body: '{"outcome":"transient"}' });
    const healed = copyRecord(historyWith(2), { body: '{"outcome":"ok"}' });
    await processor(eventOf([last, again, healed]), lambdaContext());

    const byType = Object.fromEntries(events().map((event) => [event.type, event]));
    const deadLettered = byType['message.dead-lettered'] as FailsafeEventOf<'message.dead-lettered'>;
    const [deadLetter] = sqs
      .commandCalls(SendMessageBatchCommand)
      .filter((call) => call.args[0].input.QueueUrl === DLQ_URL)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(deadLettered.message.messageId).toBe(
      JSON.parse(last.messageAttributes['failsafe.history']?.stringValue ?? '').messageId,
    );
    expect(deadLettered.message.deliveryMessageId).toBe(last.messageId);
    expect(deadLettered.outcome).toMatchObject({ attempts: 4, calls: 1 });
    expect(readFailureMetadata(deadLetter?.MessageAttributes ?? {})?.history?.attempts).toBe(4);
    const retried = byType['message.retry-scheduled'] as FailsafeEventOf<'message.retry-scheduled'>;
    expect(retried.outcome).toMatchObject({ attempts: 2, calls: 1, retryInSeconds: 30 });
    expect(retried.outcome.copyMessageId).toMatch(/^id-/);
    expect(
      byType['message.succeeded']?.type === 'message.succeeded' &&
        byType['message.succeeded'].outcome.attempts,
    ).toBe(3);
  });

  it('sets eventType, queueName and errorClass attributes for SNS filter policies', async () => {
    acceptEverything();
    await notifier()(eventOf([record('permanent')]));
    expect(published()[0]?.MessageAttributes).toEqual({
      eventType: { DataType: 'String', StringValue: 'message.dead-lettered' },
      queueName: { DataType: 'String', StringValue: 'orders' },
      errorClass: { DataType: 'String', StringValue: 'PermanentError' },
      schemaVersion: { DataType: 'Number', StringValue: '1' },
    });
  });

  it('leaves bodies out by default (size only) and includes them on request', async () => {
    acceptEverything();
    const failing = record('permanent');
    await notifier()(eventOf([failing]));
    const [withoutBody] = events() as Extract<FailsafeEvent, { message: unknown }>[];
    expect(withoutBody?.message.body).toBeUndefined();
    expect(withoutBody?.message.bodySize).toBe(Buffer.byteLength(failing.body));
    // Issue 13: an unkeyed digest of a short, predictable body can be confirmed by hashing guesses.
    const digest = createHash('sha256').update(failing.body).digest('hex');
    expect(published()[0]?.Message).not.toContain(digest);
    expect(withoutBody?.message).not.toHaveProperty('bodySha256');

    sns.reset();
    acceptEverything();
    await notifier({ includeBody: true })(eventOf([failing]));
    const [withBody] = events() as Extract<FailsafeEvent, { message: unknown }>[];
    expect(withBody?.message.body).toBe(failing.body);
  });

  it('publishes in batches of at most 10 and cuts long error texts', async () => {
    acceptEverything();
    await notifier()(eventOf(Array.from({ length: 23 }, () => record('transient'))));
    const calls = sns.commandCalls(PublishBatchCommand);
    expect(calls.map((call) => call.args[0].input.PublishBatchRequestEntries?.length)).toEqual([10, 10, 3]);
    const failed = events()[0] as Extract<FailsafeEvent, { type: 'message.failed' }>;
    expect(failed.outcome.error.message.length).toBe(4_096);
  });

  it('keeps every request within 256 KB, dropping an included body that would not fit', async () => {
    acceptEverything();
    const big = record('permanent', {
      body: JSON.stringify({ outcome: 'permanent', pad: 'y'.repeat(300_000) }),
    });
    await notifier({ includeBody: true })(eventOf([big, record('permanent')]));
    for (const call of sns.commandCalls(PublishBatchCommand)) {
      const bytes = (call.args[0].input.PublishBatchRequestEntries ?? []).reduce(
        (total, entry) => total + Buffer.byteLength(entry.Message ?? ''),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(262_144);
    }
    const bigEvent = events().find(
      (event) => 'message' in event && event.message.messageId === big.messageId,
    );
    expect(bigEvent).toMatchObject({ message: { bodyOmitted: 'too-large' } });
  });

  it('also publishes to an allow-listed callback topic named by the producer', async () => {
    acceptEverything();
    const withCallback = record('permanent', {
      messageAttributes: {
        [CALLBACK_TOPIC_ATTRIBUTE]: {
          stringValue: CALLBACK_TOPIC,
          dataType: 'String',
          stringListValues: [],
          binaryListValues: [],
        },
      },
    });
    await notifier()(eventOf([withCallback, record('permanent')]));
    expect(events(CALLBACK_TOPIC).map((event) => 'message' in event && event.message.messageId)).toEqual([
      withCallback.messageId,
    ]);
    expect(events()).toHaveLength(2);
  });

  it.each([
    [
      'a topic not on the allow-list',
      'arn:aws:sns:eu-west-1:111122223333:someone-else',
      /not on the callback allow-list/,
    ],
    ['a value that is not an ARN', 'https://example.com/hook', /not an SNS topic ARN/],
  ])('ignores %s with a warning and a metric, publishing nothing there', async (_, topic, reason) => {
    acceptEverything();
    const logger = recordingLogger();
    const metricLines = captureMetricLines();
    const processor = createBatchProcessor(
      () => {
        throw new PermanentError('no');
      },
      {
        logger,
        metrics: true,
        configFromEnvironment: false,
        notifications: { topicArn: TOPIC_ARN, callbackTopicAllowList: [CALLBACK_TOPIC] },
      },
    );
    await processor(
      eventOf([
        record('permanent', {
          messageAttributes: {
            [CALLBACK_TOPIC_ATTRIBUTE]: {
              stringValue: topic,
              dataType: 'String',
              stringListValues: [],
              binaryListValues: [],
            },
          },
        }),
      ]),
    );
    expect(
      sns.commandCalls(PublishBatchCommand).every((call) => call.args[0].input.TopicArn === TOPIC_ARN),
    ).toBe(true);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'Callback topic ignored',
        extra: [expect.objectContaining({ reason: expect.stringMatching(reason) })],
      }),
    );
    expect(metricLines[0]).toMatchObject({ CallbackTopicsRejected: 1 });
  });

  it('retries a throttled publish', async () => {
    acceptEverything();
    sns
      .on(PublishBatchCommand)
      .rejectsOnce(throttlingError())
      .callsFake((input) => ({
        Successful: input.PublishBatchRequestEntries.map(({ Id }: { Id: string }) => ({
          Id,
          MessageId: 'm',
        })),
        Failed: [],
      }));
    const logger = recordingLogger();
    await notifier({ logger })(eventOf([record('permanent')]));
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(2);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('a publish that keeps failing is logged and counted, and changes nothing about the messages', async () => {
    acceptEverything();
    sns
      .on(PublishBatchCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException', $fault: 'client' }));
    const logger = recordingLogger();
    const metricLines = captureMetricLines();
    const processor = createBatchProcessor(
      (message: unknown) => {
        if ((message as { outcome: string }).outcome === 'permanent') throw new PermanentError('no');
      },
      {
        logger,
        metrics: true,
        configFromEnvironment: false,
        deadLetter: { queueUrl: DLQ_URL },
        notifications: { topicArn: TOPIC_ARN },
      },
    );
    const dead = record('permanent');
    const result = await processor(eventOf([dead, record('ok')]));
    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.outcomes[0]?.deadLetter).toBeDefined();
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Outcome events not published after retries; messages are unaffected',
      }),
    );
    expect(metricLines[0]).toMatchObject({ NotificationsFailed: 1, MessagesDeadLettered: 1 });
  });
});
