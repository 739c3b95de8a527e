import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSEvent } from 'aws-lambda';
import { processTaskRecord } from './peerTask.js';

/**
 * @middy/sqs-partial-batch-failure as its documentation sets it up: the handler settles every record and
 * the middleware reports the rejected ones (logging each with its default logger, console.error).
 */
export const handler = middy(async (event: SQSEvent) =>
  Promise.allSettled(event.Records.map(processTaskRecord)),
).use(sqsPartialBatchFailure());
