/**
 * sqs-failsafe runtime: run an SQS batch record by record and return a partial batch response, with
 * retries, a time budget, FIFO ordering and typed bodies.
 */
export type { AwsClients } from './aws/awsClients.js';
export { visibilityBackoff } from './backoff/visibilityBackoff.js';
export { buildBatchResponse, isReportedFailed } from './batch/buildBatchResponse.js';
export { createBatchHandler } from './batch/createBatchHandler.js';
export { type BatchProcessor, createBatchProcessor } from './batch/createBatchProcessor.js';
export { processBatch } from './batch/processBatch.js';
export {
  CALLBACK_TOPIC_ATTRIBUTE,
  CONFIG_ENV_VAR,
  configEnvironment,
  type DeadLetterConfig,
  type FailsafeConfig,
  type InvocationRetryConfig,
  NOTIFICATION_EVENT_TYPES,
  type NotificationEventType,
  type NotificationsConfig,
  type RedeliveryBackoffConfig,
} from './config/failsafeConfig.js';
export { readFailsafeConfig } from './config/readFailsafeConfig.js';
export { readRedriveConfig } from './config/readRedriveConfig.js';
export {
  type CircuitBreakerConfig,
  REDRIVE_CONFIG_ENV_VAR,
  type RedriveConfig,
  type RedriveContinuation,
  redriveConfigEnvironment,
} from './config/redriveConfig.js';
export { deadLetterRouter } from './deadLetter/deadLetterRouter.js';
export {
  FAILURE_ATTRIBUTES,
  FAILURE_JSON_ATTRIBUTE,
  type FailureMetadata,
  readFailureMetadata,
} from './deadLetter/failureMetadata.js';
export {
  BatchFailedError,
  BodyDecodeError,
  BodyValidationError,
  DeadLetterRoutingError,
  FailsafeError,
  FifoSkippedError,
  HandlerResultError,
  InvalidEventError,
  InvalidOptionsError,
  InvalidRedriveTriggerError,
  isPermanentError,
  MessageExpiredError,
  MessageMoveTaskError,
  PermanentError,
  RedriveError,
  RedriveInterruptedError,
  RedriveQueueNotFoundError,
  RedriveQueueTypeMismatchError,
  TimeBudgetExceededError,
} from './errors.js';
export type {
  LambdaContextLike,
  SqsBatchResponse,
  SqsEvent,
  SqsMessageAttribute,
  SqsRecord,
  SqsRecordAttributes,
} from './event/sqsEvent.js';
export { METRIC, METRICS_NAMESPACE, type MetricName, QUEUE_DIMENSION } from './metrics/metricNames.js';
export { type MiddyRequestLike, type SqsFailsafeMiddleware, sqsFailsafe } from './middy/sqsFailsafe.js';
export {
  EVENT_ATTRIBUTES,
  EVENT_SCHEMA_VERSION,
  type FailsafeEvent,
  type FailsafeEventOf,
  type FailsafeEventType,
  type MessageEvent,
  parseFailsafeEvent,
  type RedriveEvent,
} from './notifications/eventSchema.js';
export { DEFAULT_NOTIFICATION_EVENTS, outcomeNotifier } from './notifications/outcomeNotifier.js';
export { parseAlarmEvent } from './redrive/alarmEvent.js';
export { createRedriveHandler } from './redrive/createRedriveHandler.js';
export { peekDeadLetters } from './redrive/peekDeadLetters.js';
export { queueStats } from './redrive/queueStats.js';
export { REDRIVE_COUNT_ATTRIBUTE, readRedriveCount } from './redrive/redriveCount.js';
export { redrive } from './redrive/redriveEngine.js';
export { parseRedriveFilter } from './redrive/redriveFilter.js';
export { REDRIVE_STATE_TAG } from './redrive/redriveState.js';
export { parseRedriveTrigger } from './redrive/redriveTrigger.js';
export type * from './redrive/types.js';
export { isThrottlingError } from './retry/isThrottlingError.js';
export type * from './types.js';
