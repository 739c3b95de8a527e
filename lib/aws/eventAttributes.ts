import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SqsMessageAttribute } from '../event/sqsEvent.js';

/**
 * Converts the camelCase attributes of a Lambda SQS event back to the SDK's shape, so a message can be
 * sent on with the attributes it arrived with. List values are reserved by SQS and never set.
 */
export function toSdkAttributes(
  attributes: Record<string, SqsMessageAttribute>,
): Record<string, MessageAttributeValue> {
  const converted: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    converted[name] =
      attribute.binaryValue !== undefined && attribute.binaryValue !== null
        ? { DataType: attribute.dataType, BinaryValue: Buffer.from(attribute.binaryValue, 'base64') }
        : { DataType: attribute.dataType, StringValue: attribute.stringValue ?? '' };
  }
  return converted;
}
