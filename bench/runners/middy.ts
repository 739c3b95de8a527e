import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { BatchRunner } from './batchRunner.js';
import { workOnRecord } from './recordWork.js';

/**
 * @middy/sqs-partial-batch-failure as its docs use it: the base handler settles every record and the
 * middleware turns rejected ones into batchItemFailures. Its default logger writes every failure to
 * stderr with console.error, which would time the terminal rather than the middleware, so it is given a
 * no-op logger (the counterpart of the no-op hooks sqs-failsafe runs with).
 */
const handler = middy(async (event: SQSEvent) => Promise.allSettled(event.Records.map(workOnRecord))).use(
  sqsPartialBatchFailure({ logger: () => {} }),
);

export const middyPartialBatchFailure: BatchRunner = {
  name: '@middy/sqs-partial-batch-failure',
  // The base handler's type is what Middy declares; the middleware replaces that value with the response.
  handle: (event, context) => handler(event, context) as unknown as Promise<SQSBatchResponse>,
};
