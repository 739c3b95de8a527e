import type { LambdaContextLike } from '../event/sqsEvent.js';
import type { BatchOptions, BatchResult, MessageOf, RecordHandler } from '../types.js';
import { createBatchProcessor } from './createBatchProcessor.js';

/**
 * One-shot form: validates the options and processes one event. Prefer `createBatchHandler` or
 * `createBatchProcessor` in a Lambda so options are validated once per container, not per batch.
 *
 * @example
 * const { response, outcomes } = await processBatch(event, context, async (task) => run(task));
 */
export function processBatch<const TOptions extends BatchOptions = BatchOptions, TResult = unknown>(
  event: unknown,
  context: LambdaContextLike | undefined,
  handler: RecordHandler<MessageOf<TOptions>, TResult>,
  options?: TOptions,
): Promise<BatchResult<TResult>> {
  return createBatchProcessor(handler, options)(event, context);
}
