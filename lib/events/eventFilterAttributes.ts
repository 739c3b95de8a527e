import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { EVENT_ATTRIBUTES, EVENT_SCHEMA_VERSION } from './eventConstants.js';
import type { FailsafeEvent } from './eventSchema.js';

/**
 * The SNS message attributes every event carries, whoever publishes it, so that one filter policy on
 * `eventType`, `queueName` or `errorClass` works across outcome, consumer breaker and redrive events.
 */
export function eventFilterAttributes(event: FailsafeEvent): Record<string, MessageAttributeValue> {
  const errorClass = 'outcome' in event && 'error' in event.outcome ? event.outcome.error.class : undefined;
  return {
    [EVENT_ATTRIBUTES.eventType]: { DataType: 'String', StringValue: event.type },
    [EVENT_ATTRIBUTES.queueName]: { DataType: 'String', StringValue: event.source.queueName },
    [EVENT_ATTRIBUTES.schemaVersion]: { DataType: 'Number', StringValue: String(EVENT_SCHEMA_VERSION) },
    ...(errorClass === undefined
      ? {}
      : { [EVENT_ATTRIBUTES.errorClass]: { DataType: 'String', StringValue: errorClass } }),
  };
}
