import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

/** SQS: a message (body + attributes) and a whole SendMessageBatch request are each capped at 1 MiB. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** SNS: a message and a whole PublishBatch request are each capped at 256 KB. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** SQS allows at most 10 message attributes per message (SNS the same for SQS delivery). */
export const MAX_MESSAGE_ATTRIBUTES = 10;

export const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Size as SQS counts it: the body plus each attribute's name, data type and value. */
export function messageBytes(body: string, attributes: Record<string, MessageAttributeValue> = {}): number {
  let bytes = utf8Bytes(body);
  for (const [name, value] of Object.entries(attributes)) {
    bytes += utf8Bytes(name) + utf8Bytes(value.DataType ?? '');
    if (value.StringValue !== undefined) bytes += utf8Bytes(value.StringValue);
    if (value.BinaryValue !== undefined) bytes += value.BinaryValue.byteLength;
  }
  return bytes;
}
