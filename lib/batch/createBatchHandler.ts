import type { LambdaContextLike, SqsBatchResponse } from '../event/sqsEvent.js';
import type { BatchOptions, MessageOf, RecordHandler } from '../types.js';
import { createBatchProcessor } from './createBatchProcessor.js';

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
  return async function sqsFailsafeHandler(event, context) {
    return (await process(event, context)).response;
  };
}
