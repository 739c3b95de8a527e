import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { BatchRunner } from './batchRunner.js';
import { workOnRecord } from './recordWork.js';

/** The baseline: what one writes by hand with no library, one record after the other. */
async function rawLoopHandler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await workOnRecord(record);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

export const rawLoop: BatchRunner = { name: 'raw loop', handle: rawLoopHandler };
