import { SNS_TOPIC_ARN } from '../config/sharedSchemas.js';
import type { SqsRecord } from '../event/sqsEvent.js';

/** Message attribute a producer sets to ask for outcome events on its own topic (allow-listed only). */
export const CALLBACK_TOPIC_ATTRIBUTE = 'failsafe.callbackTopicArn';

export type CallbackTopic =
  | { readonly kind: 'none' }
  | { readonly kind: 'allowed'; readonly topicArn: string }
  | { readonly kind: 'rejected'; readonly value: string; readonly reason: string };

/**
 * The topic a producer asked to hear about its message on. Only topics on the allow-list are used: a
 * message attribute is producer input, and publishing wherever it points would let any producer make this
 * function publish to any topic its role can reach.
 */
export function callbackTopicFor(record: SqsRecord, allowList: ReadonlySet<string>): CallbackTopic {
  const value = record.messageAttributes[CALLBACK_TOPIC_ATTRIBUTE]?.stringValue;
  if (value === undefined) return { kind: 'none' };
  if (!SNS_TOPIC_ARN.test(value)) return { kind: 'rejected', value, reason: 'it is not an SNS topic ARN' };
  if (!allowList.has(value))
    return { kind: 'rejected', value, reason: 'it is not on the callback allow-list' };
  return { kind: 'allowed', topicArn: value };
}
