import type { IncomingMessage } from 'node:http';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallCounter, type ApiRequest } from '../../../local/apiCalls/apiCallCounter.js';
import { countSdkCalls } from '../../../local/apiCalls/countSdkCalls.js';
import { describeAwsRequest } from '../../../local/apiCalls/describeAwsRequest.js';
import { LocalHttpServer, readRequestBody } from '../../../local/support/localHttpServer.js';
import { startLoopbackFauxqs } from '../../../local/support/startLoopbackFauxqs.js';

/**
 * The local runtime counts AWS calls where they arrive, so that a benchmark can price them: each request
 * must be named as the service's API names it, with its entries, whatever protocol the SDK speaks.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('naming AWS requests from the wire', () => {
  let described: ApiRequest[] = [];
  const recorder = new LocalHttpServer(
    async (request: IncomingMessage, response) => {
      described.push(describeAwsRequest(request, await readRequestBody(request)));
      // A client error: the SDK does not retry it, and the request has been seen.
      response
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"__type":"Refused","message":"recorded"}');
    },
    (response) => response.writeHead(500).end(),
  );
  let endpoint = '';
  const config = () => ({ region: 'eu-west-1', endpoint, credentials, maxAttempts: 1 });

  beforeAll(async () => {
    endpoint = await recorder.listen();
  });
  afterAll(() => recorder.close());

  const seen = async (send: () => Promise<unknown>): Promise<ApiRequest> => {
    described = [];
    await send().catch(() => {});
    expect(described).toHaveLength(1);
    return described[0] as ApiRequest;
  };

  it('reads the service from the signature and the operation from X-Amz-Target (SQS, DynamoDB, CloudWatch)', async () => {
    const sqs = new SQSClient(config());
    const dynamodb = new DynamoDBClient(config());
    const cloudwatch = new CloudWatchClient(config());
    const entries = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ Id: String(index), MessageBody: 'x' }));

    expect(
      await seen(() =>
        sqs.send(new SendMessageBatchCommand({ QueueUrl: `${endpoint}/1/q`, Entries: entries(3) })),
      ),
    ).toMatchObject({ service: 'sqs', action: 'SendMessageBatch', entries: 3 });
    expect(
      await seen(() =>
        dynamodb.send(
          new BatchWriteItemCommand({
            RequestItems: {
              a: [{ PutRequest: { Item: { id: { S: '1' } } } }, { PutRequest: { Item: { id: { S: '2' } } } }],
              b: [{ DeleteRequest: { Key: { id: { S: '3' } } } }],
            },
          }),
        ),
      ),
    ).toMatchObject({ service: 'dynamodb', action: 'BatchWriteItem', entries: 3 });
    expect(await seen(() => cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['a'] })))).toMatchObject(
      {
        service: 'monitoring',
        action: 'DescribeAlarms',
        entries: 1,
      },
    );
    for (const client of [sqs, dynamodb, cloudwatch]) client.destroy();
  });

  it('reads the Action field of the query protocol (SNS), a batch by its entries', async () => {
    const sns = new SNSClient(config());
    const topic = 'arn:aws:sns:eu-west-1:000000000000:t';
    expect(await seen(() => sns.send(new PublishCommand({ TopicArn: topic, Message: 'x' })))).toMatchObject({
      service: 'sns',
      action: 'Publish',
      entries: 1,
    });
    expect(
      await seen(() =>
        sns.send(
          new PublishBatchCommand({
            TopicArn: topic,
            PublishBatchRequestEntries: [
              { Id: 'a', Message: 'x' },
              { Id: 'b', Message: 'y' },
            ],
          }),
        ),
      ),
    ).toMatchObject({ service: 'sns', action: 'PublishBatch', entries: 2 });
    sns.destroy();
  });

  it('names the Lambda API’s REST calls by their operation', async () => {
    const lambda = new LambdaClient(config());
    expect(
      await seen(() => lambda.send(new InvokeCommand({ FunctionName: 'worker', Payload: '{}' }))),
    ).toMatchObject({
      service: 'lambda',
      action: 'Invoke',
    });
    expect(
      await seen(() => lambda.send(new UpdateEventSourceMappingCommand({ UUID: 'abc-123', Enabled: false }))),
    ).toMatchObject({ service: 'lambda', action: 'UpdateEventSourceMapping' });
    lambda.destroy();
  });
});

describe('counting calls on the way to the embedded server', () => {
  it('counts the pollers’ calls per attempt, telling empty long polls apart', async () => {
    // Prepare
    const server = await startLoopbackFauxqs({ port: 0, logger: false });
    const counter = new ApiCallCounter();
    const sqs = countSdkCalls(
      new SQSClient({ region: 'eu-west-1', endpoint: server.address, credentials }),
      counter,
      'event-source-mapping',
    );
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'counted' }));
    counter.reset();

    // Act: an empty long poll, an empty short receive, then one message received
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: '1', MessageBody: 'x' }] }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));

    // Assess
    expect(counter.snapshot()).toEqual([
      expect.objectContaining({ action: 'ReceiveMessage', calls: 3, emptyLongPolls: 1 }),
      expect.objectContaining({ action: 'SendMessageBatch', calls: 1, entries: 1 }),
    ]);
    sqs.destroy();
    await server.stop();
  });
});
