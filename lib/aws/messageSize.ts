import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

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
