import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { BatchRunner } from './batchRunner.js';
import { workOnRecord } from './recordWork.js';

/** @aws-lambda-powertools/batch as its docs use it: one processor per module, records in parallel. */
const processor = new BatchProcessor(EventType.SQS);

export const powertoolsBatch: BatchRunner = {
  name: '@aws-lambda-powertools/batch',
  handle: (event, context) => processPartialResponse(event, workOnRecord, processor, { context }),
};
