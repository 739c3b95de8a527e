import type { LambdaContextLike, SqsBatchResponse } from '../event/sqsEvent.js';
import type { BatchOptions, BatchResult, MessageOf, RecordHandler } from '../types.js';
import { createBatchProcessor } from './createBatchProcessor.js';

const responseOf = (result: BatchResult): SqsBatchResponse => result.response;

/**
 * A complete Lambda handler for an SQS event source mapping with ReportBatchItemFailures, for users
 * without Middy.
 *
 * @example
 * export const handler = createBatchHandler(async (order: unknown) => {
 *   await saveOrder(order);
 * }, { retry: { maxAttempts: 3 } });
 */
export function createBatchHandler<const TOptions extends BatchOptions = BatchOptions, TResult = unknown>(
  handler: RecordHandler<MessageOf<TOptions>, TResult>,
  options?: TOptions,
): (event: unknown, context?: LambdaContextLike) => Promise<SqsBatchResponse> {
  const process = createBatchProcessor(handler, options);
  // A `.then` rather than an async function awaiting the processor: one promise and tick less per batch.
  return function sqsFailsafeHandler(event, context) {
    return process(event, context).then(responseOf);
  };
}
