import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent } from 'aws-lambda';
import { processTaskRecord } from './peerTask.js';

/** @aws-lambda-powertools/batch as its documentation sets it up: one processor per module. */
const processor = new BatchProcessor(EventType.SQS);

export const handler = (event: SQSEvent, context: Context) =>
  processPartialResponse(event, processTaskRecord, processor, { context });
