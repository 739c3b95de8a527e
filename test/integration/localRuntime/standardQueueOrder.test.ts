import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertInSendOrder, keepStandardQueueOrder } from '../../../local/sqs/standardQueueOrder.js';
import { startLoopbackFauxqs } from '../../../local/support/startLoopbackFauxqs.js';

/**
 * docs/aws-semantics.md#standard-queue-order on the embedded server the local runtime starts: a message
 * that becomes visible again goes back to its place in send order, not behind the backlog, until it has
 * been received three times.
 */
let server: FauxqsServer;
let sqs: SQSClient;

beforeAll(async () => {
  await keepStandardQueueOrder();
  server = await startLoopbackFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: server.address,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sqs.destroy();
  await server.stop();
});

async function queueWith(name: string, bodies: readonly string[]): Promise<string> {
  const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  for (const body of bodies) {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    // Distinct send times, so that the order to keep is unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  return QueueUrl;
}

async function receiveOne(queueUrl: string, visibilityTimeout: number) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 1,
      VisibilityTimeout: visibilityTimeout,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  const message = Messages[0];
  if (message === undefined) throw new Error('nothing to receive');
  return {
    body: message.Body,
    receives: Number(message.Attributes?.ApproximateReceiveCount),
    release: () =>
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      ),
  };
}

describe('standard queue order on the local runtime', () => {
  it('hands out a message whose visibility timeout ran out before the backlog sent after it', async () => {
    // Prepare
    const queueUrl = await queueWith('order-timeout', ['first', 'second', 'third']);
    await receiveOne(queueUrl, 1);

    // Act: the first message's visibility timeout runs out.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await receiveOne(queueUrl, 30);

    // Assess
    expect(again).toMatchObject({ body: 'first', receives: 2 });
  });

  it('keeps a released message in place until its third receive, then moves it to the back', async () => {
    // Prepare
    const queueUrl = await queueWith('order-released', ['first', 'second', 'third']);

    // Act: receive and release (ChangeMessageVisibility 0) whatever comes first, three times.
    const received: { body: string | undefined; receives: number }[] = [];
    for (let turn = 0; turn < 3; turn += 1) {
      const message = await receiveOne(queueUrl, 30);
      received.push({ body: message.body, receives: message.receives });
      await message.release();
    }
    const after = [];
    for (let turn = 0; turn < 3; turn += 1) after.push((await receiveOne(queueUrl, 30)).body);

    // Assess
    expect(received).toEqual([
      { body: 'first', receives: 1 },
      { body: 'first', receives: 2 },
      { body: 'first', receives: 3 },
    ]);
    expect(after).toEqual(['second', 'third', 'first']);
  });

  it('places a returning message after those sent at the same time or earlier, before later ones', () => {
    const sent = (at: number, label: string) => ({ sentTimestamp: at, approximateReceiveCount: 1, label });
    const messages = [sent(1, 'a'), sent(2, 'b'), sent(2, 'c'), sent(3, 'd'), sent(1, 'moved to the back')];

    insertInSendOrder(messages, sent(2, 'returning'));

    expect(messages.map((message) => message.label)).toEqual([
      'a',
      'b',
      'c',
      'returning',
      'd',
      'moved to the back',
    ]);
  });
});
