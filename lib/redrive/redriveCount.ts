import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

/**
 * How many times a message has been redriven: a Number message attribute the redrive engine sets on every
 * message it sends back to a source. It travels with the message: the consumer keeps attributes when it
 * dead-letters (failure metadata replaces only its own attributes) and so does SQS's redrive policy, so a
 * message coming back to the DLQ still carries it, and the engine's cap can stop a poison message from
 * looping forever. Stable contract (docs/redrive.md).
 */
export const REDRIVE_COUNT_ATTRIBUTE = 'failsafe.redriveCount';

/**
 * The count a message carries; 0 when it has none or the value is not a whole number.
 *
 * @example
 * if (readRedriveCount(message.MessageAttributes ?? {}) >= 3) await park(message);
 */
export function readRedriveCount(
  attributes: Record<string, { StringValue?: string | undefined } | undefined>,
): number {
  const value = attributes[REDRIVE_COUNT_ATTRIBUTE]?.StringValue;
  if (value === undefined) return 0;
  const count = Number(value);
  return Number.isSafeInteger(count) && count >= 0 ? count : 0;
}

/** The attributes with the count set to `count`. */
export function withRedriveCount(
  attributes: Record<string, MessageAttributeValue>,
  count: number,
): Record<string, MessageAttributeValue> {
  return { ...attributes, [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: String(count) } };
}
