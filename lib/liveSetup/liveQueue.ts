import type { QueueAttributeName, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { parseSqsArn, queueNameFromUrl } from '../aws/queueReference.js';
import { getQueueAttributes } from '../aws/sqsQueueApi.js';
import type { QueueSetup } from '../setupRules/consumerSetup.js';

/** A queue as GetQueueAttributes tells it, in numbers: what the setup rules and the adopted-queue check read. */
export interface LiveQueue {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  /** The region of its ARN. */
  readonly region: string;
  readonly accountId: string;
  readonly fifo: boolean;
  readonly retentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly delaySeconds: number;
  /** Its redrive policy; undefined when it has none. */
  readonly redrivePolicy?:
    | { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number }
    | undefined;
  /** Its access policy, parsed; undefined when it has none. */
  readonly policy?: QueuePolicyDocument | undefined;
}

/** The parts of an access policy the checks read. */
export interface QueuePolicyDocument {
  readonly Statement?: readonly QueuePolicyStatement[] | QueuePolicyStatement;
}

export interface QueuePolicyStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * Every attribute read, read-only (`sqs:GetQueueAttributes`): the numbers the rules compare, the redrive
 * policy, and the access policy (which senders the queue admits).
 */
const ATTRIBUTES: readonly QueueAttributeName[] = [
  'QueueArn',
  'FifoQueue',
  'MessageRetentionPeriod',
  'VisibilityTimeout',
  'DelaySeconds',
  'RedrivePolicy',
  'Policy',
];

/**
 * Reads one queue's attributes (docs/aws-semantics.md#queue-attributes-cloudformation-cannot-change). Numbers
 * SQS leaves out take AWS's defaults (retention 4 days, visibility 30 s, no delay).
 *
 * @example
 * const queue = await readLiveQueue('https://sqs.eu-west-1.amazonaws.com/111122223333/orders', policy);
 */
export async function readLiveQueue(
  url: string,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<LiveQueue> {
  return liveQueueFromAttributes(url, await getQueueAttributes(url, ATTRIBUTES, policy, client));
}

export function liveQueueFromAttributes(
  url: string,
  attributes: Readonly<Record<string, string | undefined>>,
): LiveQueue {
  const arn = attributes.QueueArn ?? '';
  const parsed = parseSqsArn(arn);
  return {
    url,
    arn,
    name: parsed?.name ?? queueNameFromUrl(url),
    region: parsed?.region ?? '',
    accountId: parsed?.accountId ?? '',
    fifo: attributes.FifoQueue === 'true',
    retentionSeconds: numberOr(attributes.MessageRetentionPeriod, 345_600),
    visibilityTimeoutSeconds: numberOr(attributes.VisibilityTimeout, 30),
    delaySeconds: numberOr(attributes.DelaySeconds, 0),
    redrivePolicy: redrivePolicyOf(attributes.RedrivePolicy),
    policy: jsonOr<QueuePolicyDocument>(attributes.Policy),
  };
}

/** The queue as the setup rules describe it. */
export function queueSetupOf(queue: LiveQueue): QueueSetup {
  return {
    name: queue.name,
    fifo: queue.fifo,
    retentionSeconds: queue.retentionSeconds,
    visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
    maxReceiveCount: queue.redrivePolicy?.maxReceiveCount,
  };
}

function redrivePolicyOf(text: string | undefined): LiveQueue['redrivePolicy'] {
  const policy = jsonOr<{ deadLetterTargetArn?: unknown; maxReceiveCount?: unknown }>(text);
  if (typeof policy?.deadLetterTargetArn !== 'string') return undefined;
  return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) };
}

function numberOr(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return text === undefined || text === '' || !Number.isFinite(value) ? fallback : value;
}

function jsonOr<T>(text: string | undefined): T | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
