import type {
  MessageAttributeValue,
  MessageSystemAttributeName,
  QueueAttributeName,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { sqsClient, sqsCommands } from './awsClients.js';
import { retryAwsCall } from './retryAwsCall.js';

/** The single-request SQS operations the product uses (receive, queue attributes, URLs, tags). */

/** A message as ReceiveMessage returns it, with its system attributes by name (all strings). */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** Message attributes, in the SDK's shape so they can be sent on unchanged. */
  readonly attributes: Record<string, MessageAttributeValue>;
  /** SentTimestamp, ApproximateReceiveCount, MessageGroupId, DeadLetterQueueSourceArn, ... */
  readonly system: Readonly<Record<string, string | undefined>>;
}

export interface ReceiveRequest {
  /** 1..10 (SQS's limit per call). */
  readonly maxMessages: number;
  /** Seconds the received messages stay invisible to other consumers. */
  readonly visibilityTimeoutSeconds: number;
  /** Long polling, 0..20 s: with 0, SQS samples a subset of its servers and may answer empty. */
  readonly waitSeconds: number;
  /** System attributes to return (each costs bytes on every message). @default ['All'] */
  readonly systemAttributes?: readonly MessageSystemAttributeName[];
}

export async function receiveMessages(
  queueUrl: string,
  request: ReceiveRequest,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<ReceivedMessage[]> {
  const [sqs, { ReceiveMessageCommand }] = await Promise.all([sqsClient(client), sqsCommands()]);
  const response = await retryAwsCall(
    (abortSignal) =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: request.maxMessages,
          VisibilityTimeout: request.visibilityTimeoutSeconds,
          WaitTimeSeconds: request.waitSeconds,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: [...(request.systemAttributes ?? ['All'])],
        }),
        { abortSignal },
      ),
    policy,
    undefined,
    // A long poll waits on purpose: its wait does not count against the attempt timeout.
    request.waitSeconds * 1_000,
  );
  return (response.Messages ?? []).map((message) => ({
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: message.MessageAttributes ?? {},
    system: message.Attributes ?? {},
  }));
}

export async function getQueueAttributes(
  queueUrl: string,
  names: readonly QueueAttributeName[],
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<Readonly<Record<string, string | undefined>>> {
  const [sqs, { GetQueueAttributesCommand }] = await Promise.all([sqsClient(client), sqsCommands()]);
  const response = await retryAwsCall(
    (abortSignal) =>
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }), {
        abortSignal,
      }),
    policy,
  );
  return response.Attributes ?? {};
}

/** The URL of a queue by name; `ownerAccountId` for a queue of another account. */
export async function getQueueUrl(
  queueName: string,
  ownerAccountId: string | undefined,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<string> {
  const [sqs, { GetQueueUrlCommand }] = await Promise.all([sqsClient(client), sqsCommands()]);
  const response = await retryAwsCall(
    (abortSignal) =>
      sqs.send(
        new GetQueueUrlCommand({
          QueueName: queueName,
          ...(ownerAccountId === undefined ? {} : { QueueOwnerAWSAccountId: ownerAccountId }),
        }),
        { abortSignal },
      ),
    policy,
  );
  return response.QueueUrl as string;
}

export async function listQueueTags(
  queueUrl: string,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<Readonly<Record<string, string>>> {
  const [sqs, { ListQueueTagsCommand }] = await Promise.all([sqsClient(client), sqsCommands()]);
  const response = await retryAwsCall(
    (abortSignal) => sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }), { abortSignal }),
    policy,
  );
  return response.Tags ?? {};
}

export async function tagQueue(
  queueUrl: string,
  tags: Readonly<Record<string, string>>,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<void> {
  const [sqs, { TagQueueCommand }] = await Promise.all([sqsClient(client), sqsCommands()]);
  await retryAwsCall(
    (abortSignal) =>
      sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { ...tags } }), { abortSignal }),
    policy,
  );
}
