import type { Message } from '@aws-sdk/client-sqs';
import type { SqsMessageAttribute, SqsRecord } from '../../lib/index.js';

/**
 * Turns a message from ReceiveMessage into the record Lambda puts in an SQS event
 * (docs/aws-semantics.md#sqs-event-record): camelCase attribute shape, binary values in base64, string system
 * attributes.
 */
export function lambdaRecordFromMessage(message: Message, queueArn: string, region: string): SqsRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...pick(attributes, [
        'MessageGroupId',
        'MessageDeduplicationId',
        'SequenceNumber',
        'AWSTraceHeader',
        'DeadLetterQueueSourceArn',
      ]),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]): [string, SqsMessageAttribute] => [
        name,
        {
          ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
          ...(value.BinaryValue === undefined
            ? {}
            : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
          stringListValues: value.StringListValues ?? [],
          binaryListValues: (value.BinaryListValues ?? []).map((binary) =>
            Buffer.from(binary).toString('base64'),
          ),
          dataType: value.DataType ?? 'String',
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    md5OfMessageAttributes: message.MD5OfMessageAttributes ?? null,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function pick(source: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((key) => (source[key] === undefined ? [] : [[key, source[key]]])));
}
