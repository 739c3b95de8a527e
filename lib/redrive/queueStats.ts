import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import type { AwsClients } from '../aws/awsClients.js';
import { getQueueAttributes } from '../aws/sqsQueueApi.js';
import { peekDeadLetters } from './peekDeadLetters.js';
import { describeRedriveQueue } from './redriveQueues.js';

export interface QueueStatsOptions {
  /** URL, ARN or name. */
  readonly queue: string;
  /**
   * Messages to sample for ages, redrive counts and error classes, 0..1000. A sample is a peek, so it is
   * taken only on queues without a redrive policy of their own (DLQs), never on a source queue, whose
   * messages would count a receive towards their maxReceiveCount. @default 100
   */
  readonly sample?: number;
  readonly aws?: AwsClients;
}

export interface QueueStats {
  readonly url: string;
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  /** ApproximateNumberOfMessages. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible. */
  readonly inFlight: number;
  /** ApproximateNumberOfMessagesDelayed. */
  readonly delayed: number;
  /** The queue's own redrive policy: where its failures go. */
  readonly redrivePolicy:
    | { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number }
    | undefined;
  readonly sample: QueueSample | undefined;
  /** Why there is no sample, when there is none. */
  readonly sampleSkipped?: string;
}

export interface QueueSample {
  readonly size: number;
  /** ISO 8601 of the oldest SentTimestamp in the sample (a standard DLQ keeps the original enqueue time). */
  readonly oldestSentAt: string | undefined;
  readonly oldestAgeSeconds: number | undefined;
  /** Sampled messages by redrive count ("0", "1", ...). */
  readonly redriveCounts: Readonly<Record<string, number>>;
  /** Sampled messages by the error class of their failure metadata ("-" without metadata). */
  readonly errorClasses: Readonly<Record<string, number>>;
  /** Sampled messages by cause (failureFingerprint id), with its label. */
  readonly causes: Readonly<Record<string, { readonly label: string; readonly count: number }>>;
}

/**
 * Depths of a queue and, for a DLQ, what a sample of its messages says: the oldest message's age and how
 * often messages were redriven and why they failed. (SQS offers the oldest age only as a CloudWatch
 * metric; the sample gives it without a CloudWatch call, as far as the sample reaches.)
 *
 * @example
 * const stats = await queueStats({ queue: 'orders-dlq' });
 * console.log(stats.visible, stats.sample?.oldestAgeSeconds);
 */
export async function queueStats(options: QueueStatsOptions, now: number = Date.now()): Promise<QueueStats> {
  const policy: AwsCallPolicy = { deadline: Number.POSITIVE_INFINITY };
  const client = options.aws?.sqs;
  const queue = await describeRedriveQueue('queue', options.queue, policy, client, 'nothing to show');
  const attributes = await getQueueAttributes(
    queue.url,
    [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
      'RedrivePolicy',
    ],
    policy,
    client,
  );
  const redrivePolicy = parseRedrivePolicy(attributes.RedrivePolicy);
  const sampleSize = options.sample ?? 100;
  const base = {
    url: queue.url,
    name: queue.name,
    arn: queue.arn,
    fifo: queue.fifo,
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    redrivePolicy,
  };
  if (sampleSize === 0) return { ...base, sample: undefined, sampleSkipped: 'sampling is off' };
  if (redrivePolicy !== undefined) {
    return {
      ...base,
      sample: undefined,
      sampleSkipped: 'the queue has a redrive policy (a source queue): its messages are not touched',
    };
  }
  const { messages } = await peekDeadLetters({ queue: queue.url, max: sampleSize, aws: options.aws ?? {} });
  const redriveCounts: Record<string, number> = {};
  const errorClasses: Record<string, number> = {};
  const causes: Record<string, { label: string; count: number }> = {};
  let oldest: number | undefined;
  for (const message of messages) {
    redriveCounts[message.redriveCount] = (redriveCounts[message.redriveCount] ?? 0) + 1;
    const errorClass = message.failure?.errorClass ?? '-';
    errorClasses[errorClass] = (errorClasses[errorClass] ?? 0) + 1;
    causes[message.cause.id] = {
      label: message.cause.label,
      count: (causes[message.cause.id]?.count ?? 0) + 1,
    };
    const sent = message.sentAt === undefined ? undefined : Date.parse(message.sentAt);
    if (sent !== undefined && (oldest === undefined || sent < oldest)) oldest = sent;
  }
  return {
    ...base,
    sample: {
      size: messages.length,
      oldestSentAt: oldest === undefined ? undefined : new Date(oldest).toISOString(),
      oldestAgeSeconds: oldest === undefined ? undefined : Math.max(0, Math.floor((now - oldest) / 1_000)),
      redriveCounts,
      errorClasses,
      causes,
    },
  };
}

function parseRedrivePolicy(text: string | undefined): QueueStats['redrivePolicy'] {
  if (text === undefined || text === '') return undefined;
  try {
    const policy = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    if (typeof policy.deadLetterTargetArn !== 'string') return undefined;
    return {
      deadLetterTargetArn: policy.deadLetterTargetArn,
      maxReceiveCount: Number(policy.maxReceiveCount),
    };
  } catch {
    return undefined;
  }
}
