/**
 * sqs-failsafe runtime: run an SQS batch record by record and return a partial batch response, with
 * retries, a time budget, FIFO ordering and typed bodies.
 */
export { buildBatchResponse, isReportedFailed } from './batch/buildBatchResponse.js';
export { createBatchHandler } from './batch/createBatchHandler.js';
export { type BatchProcessor, createBatchProcessor } from './batch/createBatchProcessor.js';
export { processBatch } from './batch/processBatch.js';
export {
  BatchFailedError,
  BodyDecodeError,
  BodyValidationError,
  FailsafeError,
  FifoSkippedError,
  HandlerResultError,
  InvalidEventError,
  InvalidOptionsError,
  isPermanentError,
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
export { type MiddyRequestLike, type SqsFailsafeMiddleware, sqsFailsafe } from './middy/sqsFailsafe.js';
export { isThrottlingError } from './retry/isThrottlingError.js';
export type * from './types.js';
