/**
 * The DLQ a queue's redrive policy names (its `deadLetterTargetArn`), from the `RedrivePolicy` attribute;
 * undefined when it has none or it cannot be read.
 *
 * @example
 * redriveTarget('{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:111122223333:orders-dlq","maxReceiveCount":5}');
 * // 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq'
 */
export function redriveTarget(policy: string | undefined): string | undefined {
  if (policy === undefined || policy === '') return undefined;
  try {
    const target = (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}
