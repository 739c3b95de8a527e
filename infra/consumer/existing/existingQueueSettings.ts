import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * A work queue and DLQ that exist already, to consume instead of creating new ones (`existingQueue`). The
 * construct adds the consumer, its configuration, the alarms, the redrive function and the circuit breaker
 * around them; it cannot change the queues, which CloudFormation does not own
 * (docs/aws-semantics.md#queue-attributes-cloudformation-cannot-change).
 *
 * The props that describe the queues (`visibilityTimeout`, `retentionPeriod`, `maxReceiveCount`,
 * `deadLetterRetentionPeriod`) then state what the queues have: the retry math and the setup rules run on
 * them at synth time, and the deploy-time check reads the queues and fails the deployment when they differ or
 * break a rule.
 *
 * @example
 * const existingQueue: ExistingQueueSettings = {
 *   queue: sqs.Queue.fromQueueArn(this, 'Orders', 'arn:aws:sqs:eu-west-1:111122223333:orders'),
 *   deadLetterQueue: sqs.Queue.fromQueueArn(this, 'OrdersDlq', 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq'),
 * };
 */
export interface ExistingQueueSettings {
  /**
   * The work queue (`sqs.Queue.fromQueueArn`, or `fromQueueAttributes` with its `keyArn` when it has a customer
   * managed key, so the consumer is granted the key).
   */
  readonly queue: sqs.IQueue;
  /** Its DLQ: the queue its redrive policy names, of the same type (FIFO or standard). */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Read both queues when the stack deploys (a custom resource allowed only `sqs:GetQueueAttributes` on them)
   * and fail the deployment, with the messages `sqs-failsafe doctor` prints, when their redrive policy,
   * type, visibility timeout, receive limit or retentions differ from what the construct was built for or
   * break a setup rule. Checked again whenever the construct's settings change.
   * @default true
   */
  readonly checkAtDeploy?: boolean;
}
