/**
 * sqs-failsafe runtime (`sqs-failsafe`): run an SQS batch record by record and return a partial batch
 * response, with retries, a time budget, FIFO ordering and typed bodies. What a handler author needs, and
 * no more: the handler factories, the Middy middleware, the errors a handler throws or meets, and their
 * types. The rest has its own entry point: `sqs-failsafe/redrive`, `sqs-failsafe/consumer-breaker`,
 * `sqs-failsafe/events`, `sqs-failsafe/cdk`. Every name here is a decision: api/root.api.md lists them,
 * and a test fails when this list and that report disagree.
 */

export type { AttemptEntry, AttemptHistory, NotAttemptedReason } from './attempts/attemptHistory.js';
export type { AwsClients } from './aws/awsClients.js';
export { createBatchHandler } from './batch/createBatchHandler.js';
export { type BatchProcessor, createBatchProcessor } from './batch/createBatchProcessor.js';
export { processBatch } from './batch/processBatch.js';
export type {
  AttemptLedgerConfig,
  BatchConfig,
  DeadLetterConfig,
  DependencyBreakerConfig,
  Envelope,
  ExponentialRetryConfig,
  FifoMode,
  IdempotencyConfig,
  NotificationEventType,
  NotificationsConfig,
  RedeliveryBackoffConfig,
  RedeliveryMode,
  RetryBudgetConfig,
  RetryConfig,
  ScheduledRetryConfig,
} from './config/batchConfig.js';
export {
  AttemptsExhaustedError,
  BatchFailedError,
  BodyDecodeError,
  BodyValidationError,
  DeadLetterRoutingError,
  DependencyError,
  DependencyUnavailableError,
  DuplicateInProgressError,
  FailsafeError,
  FifoSkippedError,
  HandlerResultError,
  IdempotencyKeyError,
  InvalidEventError,
  InvalidOptionsError,
  isPermanentError,
  MalformedRecordError,
  MessageExpiredError,
  PermanentError,
  RedeliveryNotDueError,
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
export { IDEMPOTENCY_STORE_DEPENDENCY } from './idempotency/idempotencyStoreDependency.js';
export { METRIC, type MetricName } from './metrics/metricNames.js';
export { type MiddyRequestLike, type SqsFailsafeMiddleware, sqsFailsafe } from './middy/sqsFailsafe.js';
export type {
  BatchContext,
  BatchHooks,
  BatchOptions,
  BatchResult,
  BodyFormat,
  DeadLetterReason,
  DeadLetterReceipt,
  DependencyBreakerOptions,
  ExponentialRetryOptions,
  HookCaller,
  LoggerLike,
  MessageOf,
  MetricCounter,
  OutcomeStage,
  QueueInfo,
  RecordContext,
  RecordHandler,
  RecordOutcome,
  RecordStatus,
  RetryEvent,
  RetryOptions,
  RetryPredicate,
  RetrySchedule,
  ScheduledRetryOptions,
  TimeBudgetView,
} from './types.js';
