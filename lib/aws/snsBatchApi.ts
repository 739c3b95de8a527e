import type { MessageAttributeValue, SNSClient } from '@aws-sdk/client-sns';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { snsClient, snsCommands } from './awsClients.js';
import { readBatchResponse, withMessageId } from './batchResponse.js';
import { utf8Bytes } from './messageSize.js';
import { type BatchRunStats, type EntryResult, runBatchedEntries } from './runBatchedEntries.js';
import { MAX_BATCH_ENTRIES, SNS_MAX_MESSAGE_BYTES } from './serviceLimits.js';

export interface OutgoingNotification {
  readonly message: string;
  readonly attributes: Record<string, MessageAttributeValue>;
  /** FIFO topics only. */
  readonly messageGroupId?: string;
  readonly deduplicationId?: string;
}

/** PublishBatch over any number of notifications: at most 10 per request and 256 KB per request. */
export async function publishNotifications(
  topicArn: string,
  notifications: readonly OutgoingNotification[],
  policy: AwsCallPolicy,
  client?: SNSClient,
  stats?: BatchRunStats,
): Promise<EntryResult<{ messageId: string }>[]> {
  return runBatchedEntries(
    notifications,
    async (entries, abortSignal) => {
      // Loaded inside the request so that loading the SDK counts against the request's time limit.
      const [sns, { PublishBatchCommand }] = await Promise.all([snsClient(client), snsCommands()]);
      const response = await sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: entries.map(({ id, entry }) => ({
            Id: id,
            Message: entry.message,
            MessageAttributes: entry.attributes,
            MessageGroupId: entry.messageGroupId,
            MessageDeduplicationId: entry.deduplicationId,
          })),
        }),
        { abortSignal },
      );
      return readBatchResponse(response, withMessageId);
    },
    { maxEntries: MAX_BATCH_ENTRIES, maxBytes: SNS_MAX_MESSAGE_BYTES, sizeOf: notificationBytes },
    policy,
    stats,
  );
}

export function notificationBytes(notification: OutgoingNotification): number {
  let bytes = utf8Bytes(notification.message);
  for (const [name, value] of Object.entries(notification.attributes)) {
    bytes += utf8Bytes(name) + utf8Bytes(value.DataType ?? '') + utf8Bytes(value.StringValue ?? '');
  }
  return bytes;
}
