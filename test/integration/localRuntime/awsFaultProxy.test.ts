import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallCounter } from '../../../local/apiCalls/apiCallCounter.js';
import { AwsFaultProxy, NO_AWS_FAULTS } from '../../../local/faults/awsFaultProxy.js';
import { startLoopbackFauxqs } from '../../../local/support/startLoopbackFauxqs.js';

/**
 * The proxy compresses the waits functions ask SQS for by the runtime's time scale, the visibility
 * backoff and the delay of a message sent again alike, so that a redelivery path built on either takes
 * seconds locally, as it takes minutes on AWS.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let server: FauxqsServer;
let proxy: AwsFaultProxy;
let sqs: SQSClient;

beforeAll(async () => {
  server = await startLoopbackFauxqs({ port: 0, logger: false });
  proxy = new AwsFaultProxy(new URL(server.address), NO_AWS_FAULTS, 60);
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: await proxy.listen(), credentials });
});
afterAll(async () => {
  sqs.destroy();
  await proxy.close();
  await server.stop();
});

const receive = async (QueueUrl: string) =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }))).Messages ?? [];

describe('the AWS fault proxy’s time compression', () => {
  it('delivers a message sent with DelaySeconds 120 after 2 s at 60x', async () => {
    // Prepare
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'delayed' }));

    // Act
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [{ Id: '1', MessageBody: 'copy', DelaySeconds: 120 }],
      }),
    );

    // Assess
    expect(await receive(QueueUrl)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    expect((await receive(QueueUrl)).map((message) => message.Body)).toEqual(['copy']);
  });

  it('hides a message for 1 s when a visibility backoff of 60 s is set at 60x', async () => {
    // Prepare
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'backoff' }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: '1', MessageBody: 'failed' }] }));
    const [message] = await receive(QueueUrl);

    // Act
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: message?.ReceiptHandle,
        VisibilityTimeout: 60,
      }),
    );

    // Assess
    expect(await receive(QueueUrl)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(await receive(QueueUrl)).toHaveLength(1);
  });
});

describe('the AWS fault proxy’s counting and latency', () => {
  it('counts every call it receives as the functions’ and delays each by the latency asked for', async () => {
    // Prepare
    const counter = new ApiCallCounter();
    const counting = new AwsFaultProxy(new URL(server.address), NO_AWS_FAULTS, 60, Math.random, {
      counter,
      latencyMs: 60,
    });
    const client = new SQSClient({ region: 'eu-west-1', endpoint: await counting.listen(), credentials });

    // Act
    const started = performance.now();
    await client.send(new CreateQueueCommand({ QueueName: 'proxied' }));
    const elapsed = performance.now() - started;

    // Assess
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(counter.snapshot()).toEqual([
      {
        caller: 'functions',
        service: 'sqs',
        action: 'CreateQueue',
        calls: 1,
        entries: 1,
        bytes: expect.any(Number),
        emptyLongPolls: 0,
      },
    ]);
    client.destroy();
    await counting.close();
  });
});
