/**
 * The SQS event a Lambda consumer receives, as AWS sends it (docs/aws-semantics.md#sqs-event-record).
 * Declared here rather than taken from `@types/aws-lambda` so the package has no type-only dependency;
 * the shapes are structurally compatible, so `SQSEvent` values from that package are accepted.
 */

/** One message attribute, camelCase as in the Lambda event (not the PascalCase of the SQS API). */
export interface SqsMessageAttribute {
  stringValue?: string | undefined;
  /** Base64 of the binary value. */
  binaryValue?: string | undefined;
  stringListValues?: string[] | undefined;
  binaryListValues?: string[] | undefined;
  dataType: string;
}

/** System attributes: every value is a string; timestamps are epoch milliseconds. */
export interface SqsRecordAttributes {
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  SenderId: string;
  ApproximateFirstReceiveTimestamp: string;
  MessageGroupId?: string | undefined;
  MessageDeduplicationId?: string | undefined;
  SequenceNumber?: string | undefined;
  AWSTraceHeader?: string | undefined;
  DeadLetterQueueSourceArn?: string | undefined;
}

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: SqsRecordAttributes;
  messageAttributes: Record<string, SqsMessageAttribute>;
  md5OfBody: string;
  md5OfMessageAttributes?: string | null | undefined;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** What a function using ReportBatchItemFailures returns: the ids of the messages to keep in the queue. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The parts of the Lambda context sqs-failsafe reads. Every field is optional so that tests and callers
 * outside Lambda can pass `{}`; without `getRemainingTimeInMillis` there is no time budget.
 */
export interface LambdaContextLike {
  functionName?: string;
  functionVersion?: string;
  awsRequestId?: string;
  invokedFunctionArn?: string;
  getRemainingTimeInMillis?: () => number;
}
