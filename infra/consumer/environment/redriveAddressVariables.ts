/**
 * Environment variables the construct sets on a redrive function the user brings (`redriveFunction`): the
 * addresses of what it works on. (The function the construct creates reads SQS_FAILSAFE_REDRIVE_CONFIG
 * instead.) For the app that configures such a function; its handler reads the variables by these names
 * (importing them from `sqs-failsafe/cdk` there would load aws-cdk-lib into the bundle).
 *
 * @example
 * // in the handler
 * const deadLetterQueueUrl = process.env.SQS_FAILSAFE_DLQ_URL; // REDRIVE_ADDRESS_VARIABLES.deadLetterQueueUrl
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
