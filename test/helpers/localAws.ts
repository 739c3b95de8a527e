import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, DeleteTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { resetAwsClients } from '../../lib/aws/awsClients.js';
import { startLoopbackFauxqs } from '../../local/support/startLoopbackFauxqs.js';

/**
 * An SQS/SNS endpoint for integration tests: the embedded fauxqs server by default, or whatever
 * AWS_ENDPOINT_URL points at (LocalStack, or real AWS with AWS_ENDPOINT_URL unset and SQS_FAILSAFE_TEST_REAL_AWS=1),
 * so the same tests run against either. Embedded, it sets AWS_ENDPOINT_URL and fake credentials for the
 * process, so the library's own lazily created clients talk to it too, and restores them on stop.
 * Everything a test creates has a unique name and is removed by stop().
 */
export interface LocalAws {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  /** Set only when the server runs in this process (for inspection that does not touch messages). */
  readonly embedded: FauxqsServer | undefined;
  /** A uniquely named queue; a name ending in `.fifo` makes a FIFO queue. */
  createQueue(name: string, attributes?: Record<string, string>): Promise<LocalQueue>;
  createTopic(name: string): Promise<string>;
  subscribeQueue(topicArn: string, queue: { url: string; arn: string }, filterPolicy?: object): Promise<void>;
  /** Every message currently in the queue, received and not deleted (they return after the timeout). */
  drain(queueUrl: string, options?: { waitSeconds?: number; expect?: number }): Promise<Message[]>;
  /**
   * Bodies of every message a queue holds, visible, delayed or in flight, without touching them. Only the
   * embedded server can tell (undefined elsewhere): SQS itself has no such view.
   */
  bodiesIn(queue: LocalQueue): string[] | undefined;
  stop(): Promise<void>;
}

export interface LocalQueue {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
}

/**
 * The attributes of a queue whose redrive policy names `dlq`: a source of that DLQ, which a redrive may send
 * its messages back to.
 *
 * @example
 * const source = await server.createQueue('orders', redrivesTo(dlq));
 */
export function redrivesTo(dlq: { readonly arn: string }, maxReceiveCount = 5): Record<string, string> {
  return { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount }) };
}

const FAKE_ENVIRONMENT = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } as const;

export async function startLocalAws(): Promise<LocalAws> {
  const external =
    process.env.AWS_ENDPOINT_URL !== undefined || process.env.SQS_FAILSAFE_TEST_REAL_AWS === '1';
  const embedded = external ? undefined : await startLoopbackFauxqs({ port: 0, logger: false });
  const region = process.env.AWS_REGION ?? 'eu-west-1';
  const saved = new Map<string, string | undefined>();
  const environment = {
    AWS_REGION: region,
    ...(embedded === undefined ? {} : { ...FAKE_ENVIRONMENT, AWS_ENDPOINT_URL: embedded.address }),
  };
  for (const [name, value] of Object.entries(environment)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  resetAwsClients();

  const endpoint = process.env.AWS_ENDPOINT_URL;
  const sqs = new SQSClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint, useQueueUrlAsEndpoint: false }),
  });
  const sns = new SNSClient({ region, ...(endpoint === undefined ? {} : { endpoint }) });
  const run = randomUUID().slice(0, 8);
  const queues: string[] = [];
  const topics: string[] = [];

  return {
    endpoint,
    region,
    sqs,
    sns,
    embedded,
    async createQueue(name, attributes = {}) {
      const fifo = name.endsWith('.fifo');
      const QueueName = `${name.replace(/\.fifo$/, '')}-${run}-${queues.length}${fifo ? '.fifo' : ''}`;
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({
          QueueName,
          Attributes: { ...(fifo ? { FifoQueue: 'true' } : {}), ...attributes },
        }),
      );
      const url = QueueUrl as string;
      queues.push(url);
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
      );
      return { url, arn: Attributes?.QueueArn as string, name: QueueName };
    },
    async createTopic(name) {
      const { TopicArn } = await sns.send(
        new CreateTopicCommand({ Name: `${name}-${run}-${topics.length}` }),
      );
      topics.push(TopicArn as string);
      return TopicArn as string;
    },
    async subscribeQueue(topicArn, queue, filterPolicy) {
      // Real SNS only delivers to a queue whose policy allows the topic to send to it.
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: queue.arn,
            Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
          },
        ],
      };
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: { Policy: JSON.stringify(policy) },
        }),
      );
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          Attributes: {
            RawMessageDelivery: 'true',
            ...(filterPolicy === undefined ? {} : { FilterPolicy: JSON.stringify(filterPolicy) }),
          },
        }),
      );
    },
    async drain(queueUrl, options = {}) {
      const messages: Message[] = [];
      const until = Date.now() + (options.waitSeconds ?? 2) * 1_000;
      while (Date.now() < until && (options.expect === undefined || messages.length < options.expect)) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 60,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        messages.push(...Messages);
      }
      return messages;
    },
    bodiesIn(queue) {
      const inspected = embedded?.inspectQueue(queue.name);
      if (inspected === undefined) return undefined;
      const { ready, delayed, inflight } = inspected.messages;
      return [...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((message) => message.body);
    },
    async stop() {
      await Promise.allSettled(queues.map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl }))));
      await Promise.allSettled(topics.map((TopicArn) => sns.send(new DeleteTopicCommand({ TopicArn }))));
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
