import type { QueueInfo } from '../types.js';

/**
 * The queue URL for a queue ARN, in AWS's format. Local servers (fauxqs, LocalStack) accept it too, since
 * they look a queue up by the account and name in the path.
 */
export function queueUrlFromArn(queue: QueueInfo): string {
  const domain = queue.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${queue.region}.${domain}/${queue.accountId}/${queue.name}`;
}
