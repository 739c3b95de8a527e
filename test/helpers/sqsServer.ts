import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { resetAwsClients } from '../../lib/aws/awsClients.js';

/**
 * The SQS/SNS endpoint integration tests run against: an embedded fauxqs server on a free port by default,
 * or the endpoint in AWS_ENDPOINT_URL when one is set (LocalStack, or real AWS with credentials from the
 * environment). Embedded, it sets AWS_ENDPOINT_URL and fake credentials for the process, so the library's
 * own lazily created clients talk to it too, and restores them on stop.
 */
export interface TestSqs {
  readonly endpoint: string;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  /** Set only when the server runs in this process (for inspection that does not touch messages). */
  readonly embedded: FauxqsServer | undefined;
  /** A uniquely named queue (so tests never share state), deleted on stop. */
  createQueue(prefix: string, options?: QueueOptions): Promise<TestQueue>;
  /** A uniquely named SNS topic. */
  createTopic(prefix: string): Promise<string>;
  /**
   * Bodies of every message a queue holds, visible, delayed or in flight, without touching them. Only the
   * embedded server can tell (undefined elsewhere): SQS itself has no such view.
   */
  bodiesIn(queue: TestQueue): string[] | undefined;
  stop(): Promise<void>;
}

export interface QueueOptions {
  readonly fifo?: boolean;
  readonly attributes?: Record<string, string>;
}

export interface TestQueue {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
}

const FAKE_ENVIRONMENT = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'eu-west-1',
} as const;

export async function startTestSqs(): Promise<TestSqs> {
  const external = process.env.AWS_ENDPOINT_URL;
  const embedded = external === undefined ? await startFauxqs({ port: 0, logger: false }) : undefined;
  const endpoint = external ?? (embedded as FauxqsServer).address;
  const saved = new Map<string, string | undefined>();
  if (embedded !== undefined) {
    for (const [name, value] of Object.entries({ ...FAKE_ENVIRONMENT, AWS_ENDPOINT_URL: endpoint })) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
  }
  resetAwsClients();
  const region = process.env.AWS_REGION ?? FAKE_ENVIRONMENT.AWS_REGION;
  const sqs = new SQSClient({ endpoint, region, useQueueUrlAsEndpoint: false });
  const sns = new SNSClient({ endpoint, region });
  const created: string[] = [];

  return {
    endpoint,
    sqs,
    sns,
    embedded,
    async createQueue(prefix, options = {}) {
      const name = `${prefix}-${randomUUID().slice(0, 8)}${options.fifo ? '.fifo' : ''}`;
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: { ...(options.fifo ? { FifoQueue: 'true' } : {}), ...options.attributes },
        }),
      );
      const url = QueueUrl as string;
      created.push(url);
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
      );
      return { url, arn: Attributes?.QueueArn as string, name };
    },
    async createTopic(prefix) {
      const { CreateTopicCommand } = await import('@aws-sdk/client-sns');
      const { TopicArn } = await sns.send(
        new CreateTopicCommand({ Name: `${prefix}-${randomUUID().slice(0, 8)}` }),
      );
      return TopicArn as string;
    },
    bodiesIn(queue) {
      const inspected = embedded?.inspectQueue(queue.name);
      if (inspected === undefined) return undefined;
      const { ready, delayed, inflight } = inspected.messages;
      return [...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((message) => message.body);
    },
    async stop() {
      if (embedded === undefined) {
        await Promise.all(
          created.map((url) => sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined)),
        );
      }
      sqs.destroy();
      sns.destroy();
      await embedded?.stop();
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      resetAwsClients();
    },
  };
}

export interface SeedMessage {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

/** Sends messages in batches of 10, as a producer would. */
export async function seed(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly SeedMessage[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10);
    const response = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, index) => ({
          Id: `m${index}`,
          MessageBody: message.body,
          MessageAttributes: message.attributes,
          MessageGroupId: message.groupId,
          MessageDeduplicationId:
            message.deduplicationId ?? (message.groupId === undefined ? undefined : randomUUID()),
        })),
      }),
    );
    if ((response.Failed ?? []).length > 0)
      throw new Error(`seed failed: ${JSON.stringify(response.Failed)}`);
  }
}

export interface DrainedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue>;
  readonly system: Record<string, string>;
}

/**
 * Every message currently visible in a standard queue, without deleting any: each is held invisible for
 * `holdSeconds` and so read once. (On a FIFO queue this sees only the first message of each group, since
 * SQS hands out no more of a group while one is in flight: use consumeAll there.)
 */
export async function readAll(sqs: SQSClient, queueUrl: string, holdSeconds = 30): Promise<DrainedMessage[]> {
  const messages: DrainedMessage[] = [];
  const seen = new Set<string>();
  for (let empty = 0; empty < 2; ) {
    const received = await receiveSome(sqs, queueUrl, holdSeconds);
    if (received.length === 0) empty += 1;
    for (const { receiptHandle: _, ...message } of received) {
      if (seen.has(message.messageId)) continue;
      seen.add(message.messageId);
      messages.push(message);
    }
  }
  return messages;
}

/** Receives and deletes everything in a queue, in receive order (for FIFO, each group in its order). */
export async function consumeAll(sqs: SQSClient, queueUrl: string): Promise<DrainedMessage[]> {
  const messages: DrainedMessage[] = [];
  for (let empty = 0; empty < 2; ) {
    const received = await receiveSome(sqs, queueUrl, 30);
    if (received.length === 0) {
      empty += 1;
      continue;
    }
    empty = 0;
    for (const { receiptHandle: _, ...message } of received) messages.push(message);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: received.map((message, index) => ({
          Id: `d${index}`,
          ReceiptHandle: message.receiptHandle,
        })),
      }),
    );
  }
  return messages;
}

async function receiveSome(
  sqs: SQSClient,
  queueUrl: string,
  holdSeconds: number,
): Promise<(DrainedMessage & { receiptHandle: string })[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: holdSeconds,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages.map((message) => ({
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: message.MessageAttributes ?? {},
    system: (message.Attributes ?? {}) as Record<string, string>,
  }));
}
