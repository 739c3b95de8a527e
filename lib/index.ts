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
  type DependencyBreakerConfig,
  type FailsafeConfig,
  type IdempotencyConfig,
  type InvocationRetryConfig,
  NOTIFICATION_EVENT_TYPES,
  type NotificationEventType,
  type NotificationsConfig,
  type RedeliveryBackoffConfig,
} from './config/failsafeConfig.js';
export { readFailsafeConfig } from './config/readFailsafeConfig.js';
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
  DependencyError,
  DependencyUnavailableError,
  DuplicateInProgressError,
  dependencyOfError,
  FailsafeError,
  FifoSkippedError,
  HandlerResultError,
  IdempotencyKeyError,
  InvalidEventError,
  InvalidOptionsError,
  isPermanentError,
  MessageExpiredError,
  PermanentError,
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
  type MessageEvent,
  parseFailsafeEvent,
} from './notifications/eventSchema.js';
export { DEFAULT_NOTIFICATION_EVENTS, outcomeNotifier } from './notifications/outcomeNotifier.js';
export { isThrottlingError } from './retry/isThrottlingError.js';
export type * from './types.js';
