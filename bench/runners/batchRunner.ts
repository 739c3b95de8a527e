import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';

/** One way of turning an SQS event into a partial batch response: the thing the batch suite times. */
export interface BatchRunner {
  readonly name: string;
  /** Built once, outside the timed loop, as a Lambda module would build it at init. */
  readonly handle: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
}
