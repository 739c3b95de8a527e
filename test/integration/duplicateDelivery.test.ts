import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleLambda } from '../../infra/bundling/bundleLambda.js';
import type { SqsBatchResponse } from '../../lib/index.js';
import { pollOnce, type QueueSource, type SqsConsumer } from '../../local/eventSourceMapping/pollOnce.js';
import { type LocalAws, startLocalAws } from '../helpers/localAws.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/localDynamoDb.js';

/**
 * Exactly-once effects on at-least-once delivery: the worker with idempotency on (keyed by the task id in
 * the body) against a real DynamoDB API (embedded dynalite, or AWS_ENDPOINT_URL_DYNAMODB) and a real SQS
 * API (embedded fauxqs, or AWS_ENDPOINT_URL). Its effect is a counter per task in a DynamoDB table.
 */
let dynamo: LocalDynamoDb;
let aws: LocalAws;
let idempotencyTable: string;
let effectsTable: string;
let source: QueueSource;
let dlq: { url: string; arn: string };

const VISIBILITY_SECONDS = 1;
const MAX_RECEIVE_COUNT = 2;

beforeAll(async () => {
  // DynamoDB first: dynalite is announced through AWS_ENDPOINT_URL_DYNAMODB, fauxqs through AWS_ENDPOINT_URL.
  dynamo = await startLocalDynamoDb();
  aws = await startLocalAws();
  idempotencyTable = await dynamo.createIdempotencyTable('worker-idempotency');
  effectsTable = await dynamo.createCounterTable('worker-effects');
  dlq = await aws.createQueue('duplicates-dlq');
  const queue = await aws.createQueue('duplicates', {
    VisibilityTimeout: String(VISIBILITY_SECONDS),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
  });
  source = { queueUrl: queue.url, queueArn: queue.arn, region: aws.region };
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await aws?.stop();
  await dynamo?.stop();
});

/** The worker as deployed with `idempotency` in SQS_FAILSAFE_CONFIG; keyPath undefined keys by message id. */
async function loadWorker(keyPath: string | undefined): Promise<SqsConsumer> {
  vi.resetModules();
  stubWorkerEnvironment(keyPath);
  const { handler } = await import('../../functions/worker/handler.js');
  return handler as SqsConsumer;
}

function stubWorkerEnvironment(keyPath: string | undefined): void {
  vi.stubEnv(
    'SQS_FAILSAFE_CONFIG',
    JSON.stringify({
      version: 1,
      retry: false,
      idempotency: {
        tableName: idempotencyTable,
        keyPrefix: `worker-${crypto.randomUUID()}`,
        ...(keyPath ? { keyPath } : {}),
      },
    }),
  );
  vi.stubEnv('WORKER_EFFECTS_TABLE', effectsTable);
}

/**
 * The same, bundled as deployed (bundleLambda): the record's run through the store is in the failure layer,
 * a file apart that takes the entry's error classes, and Powertools stays in the entry's lazy chunks.
 * Written inside the repository, so that the bundle finds the SDK (external, as on Lambda) in node_modules.
 */
async function loadBundledWorker(keyPath: string): Promise<SqsConsumer> {
  const outdir = join(import.meta.dirname, '../../test-artifacts', `bundled-worker-${crypto.randomUUID()}`);
  bundledOutdirs.push(outdir);
  bundleLambda(join(import.meta.dirname, '../../functions/worker/handler.ts'), outdir);
  stubWorkerEnvironment(keyPath);
  const { handler } = await import(pathToFileURL(join(outdir, 'index.mjs')).href);
  return handler as SqsConsumer;
}
const bundledOutdirs: string[] = [];
afterAll(() => {
  for (const outdir of bundledOutdirs) rmSync(outdir, { recursive: true, force: true });
});

/**
 * The worker runs, but its acknowledgement never reaches SQS (a response lost, a delete that failed):
 * every message stays in the queue and is delivered again after the visibility timeout.
 */
const lostAcknowledgement =
  (worker: SqsConsumer): SqsConsumer =>
  async (event, context) => {
    await worker(event, context);
    return {
      batchItemFailures: (event.Records as { messageId: string }[]).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    } satisfies SqsBatchResponse;
  };

async function sendTask(taskId: string): Promise<string> {
  const { MessageId } = await aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: source.queueUrl,
      MessageBody: JSON.stringify({ taskId, kind: 'invoice' }),
    }),
  );
  return MessageId as string;
}

/** Polls like the event source mapping until a poll receives something. */
async function pollUntilReceived(consumer: SqsConsumer, seconds = 10) {
  const until = Date.now() + seconds * 1_000;
  while (Date.now() < until) {
    const result = await pollOnce(aws.sqs, source, consumer, { waitSeconds: 1 });
    if (result.received > 0) return result;
  }
  throw new Error(`nothing received within ${seconds} s`);
}

/** Moves every message from the DLQ back to the source as a new message, as a redrive does. */
async function redrive(): Promise<number> {
  const messages = await aws.drain(dlq.url, { waitSeconds: 3, expect: 1 });
  for (const message of messages) {
    const attributes = message.MessageAttributes as Record<string, MessageAttributeValue> | undefined;
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: source.queueUrl,
        MessageBody: message.Body,
        MessageAttributes: attributes,
      }),
    );
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: dlq.url, ReceiptHandle: message.ReceiptHandle }));
  }
  return messages.length;
}

async function queueIsEmpty(queueUrl: string): Promise<boolean> {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Attributes?.ApproximateNumberOfMessages === '0' &&
    Attributes.ApproximateNumberOfMessagesNotVisible === '0'
  );
}

describe('duplicate delivery with idempotency on: the business effect happens once', () => {
  it.each([
    ['as the source runs', loadWorker, 't-twice'],
    ['bundled as deployed (the store reached from the failure layer)', loadBundledWorker, 't-twice-bundled'],
  ])('the same message delivered twice (its first acknowledgement lost), %s', async (_how, load, taskId) => {
    // Prepare
    const worker = await load('taskId');
    await sendTask(taskId);
    // Act
    const first = await pollUntilReceived(lostAcknowledgement(worker));
    const second = await pollUntilReceived(worker);
    // Assess
    expect([first.received, second.received]).toEqual([1, 1]);
    expect(second.verdict).toEqual({ kind: 'success' });
    expect(await dynamo.counter(effectsTable, taskId)).toBe(1);
    expect(await queueIsEmpty(source.queueUrl)).toBe(true);
  });

  it.each([
    ['as the source runs', loadWorker, 't-copies'],
    ['bundled as deployed (the store reached from the failure layer)', loadBundledWorker, 't-copies-bundled'],
  ])(
    'two copies of a task in one batch (a producer that sent it twice), %s: one runs, the other waits and is skipped',
    async (_how, load, taskId) => {
      const worker = await load('taskId');
      await sendTask(taskId);
      await sendTask(taskId);
      const until = Date.now() + 15_000;
      while (Date.now() < until && !(await queueIsEmpty(source.queueUrl))) {
        await pollOnce(aws.sqs, source, worker, { waitSeconds: 1 });
      }
      expect(await queueIsEmpty(source.queueUrl)).toBe(true);
      expect(await dynamo.counter(effectsTable, taskId)).toBe(1);
    },
  );

  it('a redrive of a message that was processed before it was dead-lettered', async () => {
    // Prepare: processed, but never acknowledged, until SQS moves it to the DLQ.
    const worker = await loadWorker('taskId');
    await sendTask('t-redriven');
    for (let receive = 1; receive <= MAX_RECEIVE_COUNT; receive += 1) {
      await pollUntilReceived(lostAcknowledgement(worker));
    }
    expect(await dynamo.counter(effectsTable, 't-redriven')).toBe(1);
    // The next receive finds it over maxReceiveCount: SQS dead-letters it.
    await new Promise((resolve) => setTimeout(resolve, VISIBILITY_SECONDS * 1_000 + 200));
    await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.queueUrl, WaitTimeSeconds: 1 }));
    // Act
    expect(await redrive()).toBe(1);
    const redriven = await pollUntilReceived(worker);
    // Assess
    expect(redriven.verdict).toEqual({ kind: 'success' });
    expect(await dynamo.counter(effectsTable, 't-redriven')).toBe(1);
    expect(await queueIsEmpty(source.queueUrl)).toBe(true);
    expect(await queueIsEmpty(dlq.url)).toBe(true);
  });

  it('keyed by message id instead, a redrive is a new message and its effect happens again (why keyPath)', async () => {
    const worker = await loadWorker(undefined);
    await sendTask('t-by-id');
    await pollUntilReceived(lostAcknowledgement(worker));
    await pollUntilReceived(worker);
    expect(await dynamo.counter(effectsTable, 't-by-id')).toBe(1);
    await sendTask('t-by-id'); // what a redrive hands the consumer: the same body under a new message id
    await pollUntilReceived(worker);
    expect(await dynamo.counter(effectsTable, 't-by-id')).toBe(2);
  });

  it('without idempotency, every delivery repeats the effect (the counter is not fooling us)', async () => {
    vi.resetModules();
    vi.stubEnv('SQS_FAILSAFE_CONFIG', JSON.stringify({ version: 1, retry: false }));
    vi.stubEnv('WORKER_EFFECTS_TABLE', effectsTable);
    const { handler } = await import('../../functions/worker/handler.js');
    const worker = handler as SqsConsumer;
    await sendTask('t-unprotected');
    await pollUntilReceived(lostAcknowledgement(worker));
    await pollUntilReceived(worker);
    expect(await dynamo.counter(effectsTable, 't-unprotected')).toBe(2);
  });
});
