/**
 * `sqs-failsafe/events`: what sqs-failsafe publishes and attaches, for the code that reads it: the outcome,
 * consumer and redrive events on the SNS topic (schema, parser, filter attributes), the failure metadata on
 * a dead-lettered message and its attempt history, the attribute a producer sets to hear about its
 * message, and the CloudWatch alarm state changes a function triggered by an alarm receives.
 */

export type { AlarmState } from '../alarms/alarmState.js';
export {
  type AlarmDelivery,
  type AlarmMetric,
  type AlarmStateChange,
  isAlarmStateChangePayload,
  readAlarmStateChanges,
} from '../alarms/alarmStateChange.js';
export type { AttemptEntry, AttemptHistory, NotAttemptedReason } from '../attempts/attemptHistory.js';
export {
  FAILURE_ATTRIBUTES,
  FAILURE_JSON_ATTRIBUTE,
  type FailureMetadata,
  HISTORY_ATTRIBUTE,
  readFailureMetadata,
} from '../deadLetter/failureMetadata.js';
export type { DeadLetterReason } from '../types.js';
export { CALLBACK_TOPIC_ATTRIBUTE } from './callbackTopic.js';
export {
  type ConsumerEvent,
  EVENT_ATTRIBUTES,
  EVENT_SCHEMA_VERSION,
  type FailsafeEvent,
  type FailsafeEventOf,
  type FailsafeEventType,
  failsafeEventSchema,
  type MessageEvent,
  parseFailsafeEvent,
  type RedriveEvent,
} from './eventSchema.js';
