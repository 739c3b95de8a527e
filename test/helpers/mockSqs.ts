import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

/**
 * An SQS client whose answers a test scripts (aws-sdk-client-mock), for what a real server cannot be made
 * to do: throttle, fail single batch entries, or run a message move task. By default every batch call
 * succeeds for all its entries and a queue's attributes describe a standard queue (FIFO when its name says
 * so) whose redrive policy names the tests' DLQ, unless it is one (its name holds `dlq`).
 */
export interface MockSqs {
  readonly client: SQSClient;
  readonly mock: AwsClientStub<SQSClient>;
  /** Receives answer these batches in turn, then nothing. */
  receives(...batches: Message[][]): void;
}

export const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq';
export const DLQ_ARN = 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq';
export const SOURCE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders';
export const SOURCE_ARN = 'arn:aws:sqs:eu-west-1:111122223333:orders';

export function mockSqs(): MockSqs {
  const client = new SQSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const mock = mockClient(client);
  mock.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => {
    const name = input.QueueUrl.split('/').pop() as string;
    const fifo = name.endsWith('.fifo');
    return {
      Attributes: {
        QueueArn: `arn:aws:sqs:eu-west-1:111122223333:${name}`,
        ApproximateNumberOfMessages: '10',
        ...(fifo ? { FifoQueue: 'true' } : {}),
        // Every other queue sends its failures to the DLQ of the tests, as a source queue of it does.
        ...(name.includes('dlq')
          ? {}
          : {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: `${DLQ_ARN}${fifo ? '.fifo' : ''}`,
                maxReceiveCount: 5,
              }),
            }),
      },
    };
  });
  const allSucceed = (input: { Entries: { Id: string }[] }) => ({
    Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: `sent-${entry.Id}` })),
    Failed: [],
  });
  mock.on(SendMessageBatchCommand).callsFake(allSucceed);
  mock.on(DeleteMessageBatchCommand).callsFake(allSucceed);
  mock.on(ChangeMessageVisibilityBatchCommand).callsFake(allSucceed);
  mock.on(ReceiveMessageCommand).resolves({ Messages: [] });
  return {
    client,
    mock,
    receives(...batches) {
      const behaviour = mock.on(ReceiveMessageCommand);
      for (const batch of batches) behaviour.resolvesOnce({ Messages: batch });
      behaviour.resolves({ Messages: [] });
    },
  };
}

/** A received message as ReceiveMessage returns it. */
export function message(id: string, overrides: Partial<Message> = {}): Message {
  return {
    MessageId: id,
    ReceiptHandle: `rh-${id}`,
    Body: JSON.stringify({ id }),
    MessageAttributes: {},
    Attributes: { SentTimestamp: '1795550000000', ApproximateReceiveCount: '1' },
    ...overrides,
  };
}

/** An AWS SDK-like error, recognised by name and fault as the AWS-call layer recognises real ones. */
export function awsError(name: string, fault: 'client' | 'server' = 'client', status = 400): Error {
  return Object.assign(new Error(`${name} (simulated)`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
  });
}
