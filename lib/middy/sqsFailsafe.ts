import { createBatchProcessor } from '../batch/createBatchProcessor.js';
import type { LambdaContextLike } from '../event/sqsEvent.js';
import type { BatchOptions, BatchResult, MessageOf, RecordHandler } from '../types.js';

/** The slice of a Middy request this middleware touches; Middy's own `Request` satisfies it. */
export interface MiddyRequestLike {
  event: unknown;
  context: LambdaContextLike;
  response: unknown;
  internal: Record<string, unknown>;
}

/** A Middy middleware object, declared structurally so the package does not depend on @middy/core. */
export interface SqsFailsafeMiddleware {
  readonly name: string;
  before(request: MiddyRequestLike): Promise<void>;
  after(request: MiddyRequestLike): void;
}

const INTERNAL_KEY = 'sqsFailsafe';

/**
 * Middy middleware: runs the batch record by record through `handler` and sets the partial batch response.
 * Compose it with other middlewares (logger, tracer) as usual; the base handler can stay empty.
 *
 * The batch runs in `before`; the response is set in `after`. If the base handler returns a value, it is
 * replaced (and a warning logged): a hand-made `batchItemFailures` could tell SQS to delete failed
 * messages. If anything throws, Middy fails the invocation and SQS keeps every message.
 *
 * @example
 * export const handler = middy()
 *   .use(sqsFailsafe(async (order: Order) => saveOrder(order), { retry: { maxAttempts: 3 } }));
 */
export function sqsFailsafe<const TOptions extends BatchOptions = BatchOptions, TResult = unknown>(
  handler: RecordHandler<MessageOf<TOptions>, TResult>,
  options?: TOptions,
): SqsFailsafeMiddleware {
  const process = createBatchProcessor(handler, options);
  const logger = options?.logger;
  return {
    name: 'sqs-failsafe',
    async before(request) {
      request.internal[INTERNAL_KEY] = await process(request.event, request.context);
    },
    after(request) {
      const result = request.internal[INTERNAL_KEY] as BatchResult | undefined;
      if (result === undefined) return;
      if (request.response !== undefined && request.response !== null) {
        (logger ?? console).warn(
          'sqs-failsafe: the base handler returned a value; it is replaced by the partial batch response built ' +
            'from record outcomes. Leave the base handler empty.',
        );
      }
      request.response = result.response;
    },
  };
}
