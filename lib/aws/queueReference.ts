import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { getQueueUrl } from './sqsQueueApi.js';

const URL_PATTERN = /^https?:\/\//;

/** `arn:<partition>:sqs:<region>:<account>:<name>` split into its parts; undefined when it is not one. */
export function parseSqsArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const parts = arn.split(':');
  const [prefix, , service, region, accountId, name] = parts;
  if (parts.length !== 6 || prefix !== 'arn' || service !== 'sqs' || !region || !accountId || !name)
    return undefined;
  return { region, accountId, name };
}

/** The queue name is the last path segment of its URL, on AWS and on local servers alike. */
export function queueNameFromUrl(queueUrl: string): string {
  return queueUrl.replace(/\/+$/, '').split('/').pop() ?? queueUrl;
}

/**
 * The URL of a queue given as a URL, an ARN or a name. Names and ARNs are resolved with GetQueueUrl rather
 * than by building a URL, because local servers and LocalStack use URL formats of their own.
 */
export async function resolveQueueUrl(
  reference: string,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<string> {
  if (URL_PATTERN.test(reference)) return reference;
  const arn = parseSqsArn(reference);
  if (arn !== undefined) return getQueueUrl(arn.name, arn.accountId, policy, client);
  return getQueueUrl(reference, undefined, policy, client);
}
