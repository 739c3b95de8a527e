/**
 * sqs-failsafe runtime: run an SQS batch record by record and return a partial batch response, with
 * retries, a time budget, FIFO ordering and typed bodies.
 */
export { isAlarmStateChangePayload, readAlarmStateChanges } from './alarms/alarmStateChange.js';
export { awsAlarmStates } from './aws/alarmStateApi.js';
export type { AwsCallPolicy } from './aws/awsCallPolicy.js';
export type { AwsClients } from './aws/awsClients.js';
export { awsEventSourceMappings } from './aws/eventSourceMappingApi.js';
export { visibilityBackoff } from './backoff/visibilityBackoff.js';
export { buildBatchResponse, isReportedFailed } from './batch/buildBatchResponse.js';
export { createBatchHandler } from './batch/createBatchHandler.js';
export { type BatchProcessor, createBatchProcessor } from './batch/createBatchProcessor.js';
export { processBatch } from './batch/processBatch.js';
export {
  BREAKER_CONFIG_ENV_VAR,
  BREAKER_DEFAULTS,
  BREAKER_PROBE_EVENT,
  type BreakerConfig,
  type ResolvedBreakerConfig,
} from './breaker/breakerConfig.js';
export {
  breakerConfigEnvironment,
  breakerConfigProblems,
  readBreakerConfig,
  resolveBreakerConfig,
} from './breaker/breakerConfigSchema.js';
export {
  type BreakerController,
  type BreakerPorts,
  createBreakerController,
} from './breaker/breakerController.js';
export { breakerStateOf } from './breaker/breakerState.js';
export { readBreakerTriggers } from './breaker/breakerTrigger.js';
export {
  type BreakerEvent,
  type ConsumerEventPublisher,
  snsConsumerEvents,
} from './breaker/consumerEvents.js';
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
  InvalidRedriveTriggerError,
  isPermanentError,
  MessageExpiredError,
  MessageMoveTaskError,
  PermanentError,
  ReceiveLimitExceededError,
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
export { IDEMPOTENCY_DEFAULTS, IDEMPOTENCY_STORE_DEPENDENCY } from './idempotency/idempotencyDefaults.js';
export { METRIC, METRICS_NAMESPACE, type MetricName, QUEUE_DIMENSION } from './metrics/metricNames.js';
export { type MiddyRequestLike, type SqsFailsafeMiddleware, sqsFailsafe } from './middy/sqsFailsafe.js';
export {
  type ConsumerEvent,
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
export { RETRY_BUDGET_DEFAULTS } from './retry/retryBudget.js';
export type * from './types.js';
