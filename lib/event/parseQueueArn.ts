import { InvalidEventError } from '../errors.js';
import type { QueueInfo } from '../types.js';

/** `arn:<partition>:sqs:<region>:<account>:<name>`; FIFO queue names end in `.fifo`. */
export function parseQueueArn(arn: string): QueueInfo {
  const parts = arn.split(':');
  const [prefix, , service, region, accountId, name] = parts;
  if (parts.length !== 6 || prefix !== 'arn' || service !== 'sqs' || !region || !accountId || !name) {
    throw new InvalidEventError(
      `eventSourceARN "${arn}" is not an SQS queue ARN (expected arn:aws:sqs:<region>:<account>:<queue>)`,
      { arn },
    );
  }
  return { arn, name, region, accountId, fifo: name.endsWith('.fifo') };
}
