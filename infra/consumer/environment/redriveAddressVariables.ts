/**
 * Environment variables the construct sets on a redrive function the user brings (`redriveFunction`): the
 * addresses of what it works on. (The function the construct creates reads SQS_FAILSAFE_REDRIVE_CONFIG
 * instead.) Kept free of CDK imports so that a Lambda handler can import the names without bundling
 * aws-cdk-lib.
 */
export const REDRIVE_ADDRESS_VARIABLES = {
  /** URL of the work queue, where redriven messages go. */
  sourceQueueUrl: 'SQS_FAILSAFE_SOURCE_QUEUE_URL',
  /** ARN of the work queue (StartMessageMoveTask's DestinationArn). */
  sourceQueueArn: 'SQS_FAILSAFE_SOURCE_QUEUE_ARN',
  /** URL of the DLQ, where messages are taken from. */
  deadLetterQueueUrl: 'SQS_FAILSAFE_DLQ_URL',
  /** ARN of the DLQ (StartMessageMoveTask's SourceArn). */
  deadLetterQueueArn: 'SQS_FAILSAFE_DLQ_ARN',
  /** ARN of the outcome topic, for redrive reports. */
  topicArn: 'SQS_FAILSAFE_TOPIC_ARN',
} as const;
