import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALLBACK_TOPIC_ATTRIBUTE,
  type FailsafeEvent,
  parseFailsafeEvent,
  readFailureMetadata,
} from '../../lib/events/index.js';
import { createBatchHandler, PermanentError, type RedeliveryMode } from '../../lib/index.js';
import { pollOnce, type QueueSource } from '../../local/eventSourceMapping/pollOnce.js';
import { type LocalAws, startLocalAws } from '../helpers/localAws.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/localDynamoDb.js';

/**
 * Failure routing end to end against a real SQS/SNS server (embedded fauxqs, or AWS_ENDPOINT_URL):
 * redelivery on schedule, dead-lettering with metadata, max age, events through a filter policy, and
 * callback topics. The consumer runs through the same event-source-mapping turn the local runtime uses.
 */
let aws: LocalAws;
let dynamoDb: LocalDynamoDb;
let ledgerTable: string;
let source: QueueSource;
let dlq: { url: string; arn: string };
let topicArn: string;
let deadLetterEvents: { url: string; arn: string };
let allowedCallback: { topicArn: string; queue: { url: string; arn: string } };
let refusedCallback: { topicArn: string; queue: { url: string; arn: string } };
const handled: string[] = [];

const SCHEDULE_SECONDS = [1, 2];

beforeAll(async () => {
  // dynalite first: it is announced through AWS_ENDPOINT_URL_DYNAMODB, which startLocalAws leaves alone.
  dynamoDb = await startLocalDynamoDb();
  ledgerTable = await dynamoDb.createIdempotencyTable('routing-ledger');
  aws = await startLocalAws();
  dlq = await aws.createQueue('routing-dlq');
  const queue = await aws.createQueue('routing', {
    VisibilityTimeout: '30',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 10 }),
  });
  source = { queueUrl: queue.url, queueArn: queue.arn, region: aws.region };
  topicArn = await aws.createTopic('routing-events');
  deadLetterEvents = await aws.createQueue('routing-dead-letter-events');
  await aws.subscribeQueue(topicArn, deadLetterEvents, { eventType: ['message.dead-lettered'] });
  allowedCallback = {
    topicArn: await aws.createTopic('allowed-callback'),
    queue: await aws.createQueue('allowed-callback'),
  };
  refusedCallback = {
    topicArn: await aws.createTopic('refused-callback'),
    queue: await aws.createQueue('refused-callback'),
  };
  await aws.subscribeQueue(allowedCallback.topicArn, allowedCallback.queue);
  await aws.subscribeQueue(refusedCallback.topicArn, refusedCallback.queue);
});

afterAll(async () => {
  await aws.stop();
  await dynamoDb.stop();
});

function consumer(maxAgeSeconds?: number, redelivery: RedeliveryMode = 'copy') {
  return createBatchHandler(
    (message: unknown, { messageId }) => {
      handled.push(messageId);
      const { fail } = message as { fail?: string };
      if (fail === 'permanent') throw new PermanentError('order rejected');
      if (fail === 'transient') throw new Error('downstream unavailable');
    },
    {
      retry: false,
      configFromEnvironment: false,
      redeliveryBackoff: { scheduleSeconds: SCHEDULE_SECONDS },
      redelivery,
      ...(redelivery === 'visibility' ? { attemptLedger: { tableName: ledgerTable } } : {}),
      deadLetter: {
        queueUrl: dlq.url,
        maxAttempts: SCHEDULE_SECONDS.length + 1,
        ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
      },
      notifications: {
        topicArn,
        events: ['message.dead-lettered', 'message.failed', 'message.retry-scheduled'],
        callbackTopicAllowList: [allowedCallback.topicArn],
      },
    },
  );
}

async function send(body: object, attributes: Record<string, string> = {}): Promise<string> {
  const { MessageId } = await aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: source.queueUrl,
      MessageBody: JSON.stringify(body),
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      ),
    }),
  );
  return MessageId as string;
}

/**
 * Polls like the event source mapping until `done` or the time runs out; returns when each message was
 * received, by body (a redelivery copy has a new id and the same body).
 */
async function pollUntil(
  done: () => Promise<boolean>,
  seconds: number,
  maxAgeSeconds?: number,
  redelivery?: RedeliveryMode,
): Promise<Map<string, number[]>> {
  const receivedAt = new Map<string, number[]>();
  const handler = consumer(maxAgeSeconds, redelivery);
  const until = Date.now() + seconds * 1_000;
  while (Date.now() < until && !(await done())) {
    await pollOnce(
      aws.sqs,
      source,
      async (event, context) => {
        const now = Date.now();
        for (const record of event.Records as { body: string }[]) {
          receivedAt.set(record.body, [...(receivedAt.get(record.body) ?? []), now]);
        }
        return handler(event, context);
      },
      { waitSeconds: 1 },
    );
  }
  return receivedAt;
}

async function dlqHolds(messageBody: string) {
  const messages = await aws.drain(dlq.url, { waitSeconds: 1 });
  return messages.find((message) => message.Body === messageBody);
}

describe('failure routing on a real SQS/SNS server', () => {
  it.each([
    ['copy', 1],
    ['visibility', 3],
  ] as const)(
    'redelivers a failing message on schedule (%s), then dead-letters it with metadata after n attempts',
    async (redelivery, lastReceiveCount) => {
      // Prepare
      const body = { fail: 'transient', case: `schedule-${redelivery}` };
      const id = await send(body);
      // Act
      let found: Awaited<ReturnType<typeof dlqHolds>>;
      const receivedAt = await pollUntil(
        async () => {
          found ??= await dlqHolds(JSON.stringify(body));
          return found !== undefined;
        },
        20,
        undefined,
        redelivery,
      );
      // Assess: attempts 1..3, waiting t_1 then t_2 seconds between them
      const times = receivedAt.get(JSON.stringify(body)) ?? [];
      expect(times).toHaveLength(SCHEDULE_SECONDS.length + 1);
      const gaps = times.slice(1).map((time, index) => (time - (times[index] as number)) / 1_000);
      for (const [index, gap] of gaps.entries()) {
        expect(gap).toBeGreaterThanOrEqual((SCHEDULE_SECONDS[index] as number) - 0.2);
        expect(gap).toBeLessThan((SCHEDULE_SECONDS[index] as number) + 1.5);
      }
      const metadata = readFailureMetadata(found?.MessageAttributes ?? {});
      expect(metadata).toMatchObject({
        reason: 'max-attempts-reached',
        receiveCount: lastReceiveCount,
        attempts: 3,
        errorClass: 'Error',
        errorMessage: 'downstream unavailable',
        sourceQueueArn: source.queueArn,
      });
      expect(metadata?.history).toMatchObject({ messageId: id, attempts: 3 });
      expect(metadata?.history?.entries.map((entry) => entry.errorMessage)).toEqual([
        'downstream unavailable',
        'downstream unavailable',
        'downstream unavailable',
      ]);
      expect(await aws.drain(source.queueUrl, { waitSeconds: 1 })).toEqual([]);
    },
  );

  it('dead-letters a permanent error at once and deletes it from the source', async () => {
    const body = { fail: 'permanent', case: 'permanent' };
    const id = await send(body);
    let found: Awaited<ReturnType<typeof dlqHolds>>;
    const receivedAt = await pollUntil(async () => {
      found ??= await dlqHolds(JSON.stringify(body));
      return found !== undefined;
    }, 10);
    expect(receivedAt.get(JSON.stringify(body))).toHaveLength(1);
    expect(readFailureMetadata(found?.MessageAttributes ?? {})?.history?.messageId).toBe(id);
    expect(readFailureMetadata(found?.MessageAttributes ?? {})).toMatchObject({
      reason: 'permanent-error',
      errorClass: 'PermanentError',
      receiveCount: 1,
    });
    expect(await aws.drain(source.queueUrl, { waitSeconds: 1 })).toEqual([]);
  });

  it('dead-letters a message older than the max age without processing it', async () => {
    const body = { case: 'too-old' };
    const id = await send(body);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    let found: Awaited<ReturnType<typeof dlqHolds>>;
    await pollUntil(
      async () => {
        found ??= await dlqHolds(JSON.stringify(body));
        return found !== undefined;
      },
      10,
      2,
    );
    expect(handled).not.toContain(id);
    expect(readFailureMetadata(found?.MessageAttributes ?? {})).toMatchObject({
      reason: 'max-age-exceeded',
      errorClass: 'MessageExpiredError',
    });
  });

  it('delivers events to a queue subscribed with a filter policy: only what the policy selects', async () => {
    const events = (await aws.drain(deadLetterEvents.url, { waitSeconds: 2, expect: 4 })).map(
      (message): FailsafeEvent => parseFailsafeEvent(JSON.parse(message.Body ?? '')),
    );
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['message.dead-lettered']));
    expect(
      events
        .map(
          (event) => 'outcome' in event && 'deadLetter' in event.outcome && event.outcome.deadLetter.reason,
        )
        .sort(),
    ).toEqual(['max-age-exceeded', 'max-attempts-reached', 'max-attempts-reached', 'permanent-error']);
  });

  it('publishes to an allow-listed callback topic and never to one off the list', async () => {
    const allowedId = await send(
      { fail: 'permanent', case: 'callback-allowed' },
      { [CALLBACK_TOPIC_ATTRIBUTE]: allowedCallback.topicArn },
    );
    const refusedId = await send(
      { fail: 'permanent', case: 'callback-refused' },
      { [CALLBACK_TOPIC_ATTRIBUTE]: refusedCallback.topicArn },
    );
    await pollUntil(async () => handled.includes(allowedId) && handled.includes(refusedId), 10);
    const delivered = (await aws.drain(allowedCallback.queue.url, { waitSeconds: 2, expect: 1 })).map(
      (message) => parseFailsafeEvent(JSON.parse(message.Body ?? '')),
    );
    expect(delivered.map((event) => 'message' in event && event.message.messageId)).toEqual([allowedId]);
    expect(await aws.drain(refusedCallback.queue.url, { waitSeconds: 1 })).toEqual([]);
  });
});
