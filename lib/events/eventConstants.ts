/**
 * The constants every event carries, apart from the schema itself: publishers import these, and only
 * subscribers validating events (parseFailsafeEvent) pay for building the schema.
 */
export const EVENT_SCHEMA_VERSION = 1;

/** SNS message attributes set on every event, for filter policies. */
export const EVENT_ATTRIBUTES = {
  eventType: 'eventType',
  queueName: 'queueName',
  errorClass: 'errorClass',
  schemaVersion: 'schemaVersion',
} as const;
