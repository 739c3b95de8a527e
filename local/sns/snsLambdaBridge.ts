import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { invokeAsync } from '../lambda/invokeAsync.js';
import type { LocalFunction } from '../lambda/localFunction.js';

interface Envelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * SNS -> Lambda subscriptions. The embedded server delivers only to SQS, so each Lambda subscription gets
 * a private queue subscribed to the topic (without raw delivery, so the notification envelope survives);
 * its messages become SNS events, one record per invocation, invoked asynchronously as SNS does.
 */
export class SnsLambdaBridge {
  readonly #running = new Set<Promise<void>>();
  #stopped = false;

  constructor(
    private readonly clients: { sqs: SQSClient; sns: SNSClient },
    private readonly timeScale: number,
  ) {}

  async connect(topicArn: string, fn: LocalFunction, index: number): Promise<void> {
    const { sqs, sns } = this.clients;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `sqs-failsafe-local-sns-lambda-${index}` }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
    );
    const loop = this.#deliver(QueueUrl as string, fn, SubscriptionArn ?? `${topicArn}:local`);
    this.#running.add(loop);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.allSettled([...this.#running]);
  }

  async #deliver(queueUrl: string, fn: LocalFunction, subscriptionArn: string): Promise<void> {
    const { sqs } = this.clients;
    while (!this.#stopped) {
      const { Messages = [] } = await sqs
        .send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 900,
          }),
        )
        .catch(() => ({ Messages: [] }));
      await Promise.all(
        Messages.map(async (message) => {
          const envelope = JSON.parse(message.Body ?? '{}') as Envelope;
          await invokeAsync(fn, snsEvent(envelope, subscriptionArn), { timeScale: this.timeScale });
          await sqs
            .send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }))
            .catch(() => {});
        }),
      );
    }
  }
}

/** The event Lambda receives from SNS (the shape of aws-lambda-go's sns-event sample). */
function snsEvent(envelope: Envelope, subscriptionArn: string) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: envelope.Type,
          MessageId: envelope.MessageId,
          TopicArn: envelope.TopicArn,
          Subject: envelope.Subject ?? null,
          Message: envelope.Message,
          Timestamp: envelope.Timestamp,
          SignatureVersion: '1',
          Signature: 'LOCAL',
          SigningCertUrl: 'LOCAL',
          UnsubscribeUrl: 'LOCAL',
          MessageAttributes: envelope.MessageAttributes ?? {},
        },
      },
    ],
  };
}
