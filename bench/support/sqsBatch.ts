import { createHash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * The SQS events every benchmark runs on, shaped like what Lambda delivers (string epoch-ms timestamps,
 * camelCase message attributes with their empty list fields, MD5 digests, a receipt handle of realistic
 * length) so that no runner gets a cheaper input than production. Built once, before any timing, and
 * deterministic: the same spec gives byte-identical events on every run.
 */

export const BENCH_QUEUE_ARN = 'arn:aws:sqs:eu-west-1:111122223333:bench-tasks';

/** `kind` of a task the record work rejects: the failing records of a batch. */
export const REJECTED_KIND = 'reject';

/** The body of every record: a task the worker's schema accepts (functions/worker/task.ts). */
export interface BenchTask {
  readonly taskId: string;
  readonly kind: string;
  readonly payload: { readonly width: number; readonly height: number; readonly quality: number };
}

export interface BatchSpec {
  readonly records: number;
  /** Share of records whose task is rejected, spread evenly through the batch (0.2 of 10: the 5th, 10th). */
  readonly failingShare: number;
}

export interface BenchBatch {
  readonly event: SQSEvent;
  /** messageIds of the rejected records, in batch order: the batchItemFailures every runner must return. */
  readonly failingIds: readonly string[];
}

const SENT_AT = Date.UTC(2026, 10, 24, 12, 0, 0);

export function buildBatch(spec: BatchSpec): BenchBatch {
  const records: SQSRecord[] = [];
  const failingIds: string[] = [];
  for (let index = 0; index < spec.records; index += 1) {
    const fails = Math.floor((index + 1) * spec.failingShare) > Math.floor(index * spec.failingShare);
    const record = sqsRecord(`${spec.records}/${spec.failingShare}/${index}`, index, fails);
    records.push(record);
    if (fails) failingIds.push(record.messageId);
  }
  return { event: { Records: records }, failingIds };
}

function sqsRecord(seed: string, index: number, rejected: boolean): SQSRecord {
  const task: BenchTask = {
    taskId: `task-${index.toString().padStart(6, '0')}`,
    kind: rejected ? REJECTED_KIND : 'thumbnail',
    payload: { width: 640 + (index % 7), height: 480, quality: 80 },
  };
  const body = JSON.stringify(task);
  const sentAt = SENT_AT + index;
  return {
    messageId: uuidFrom(seed),
    receiptHandle: `AQEB${Buffer.from(digest('sha512', seed) + digest('sha512', `${seed}:2`), 'hex').toString('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(sentAt),
      SenderId: 'AROAEXAMPLEROLEID:producer',
      ApproximateFirstReceiveTimestamp: String(sentAt + 250),
    },
    messageAttributes: {
      tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' },
      priority: { stringValue: '5', stringListValues: [], binaryListValues: [], dataType: 'Number' },
    },
    md5OfBody: digest('md5', body),
    md5OfMessageAttributes: digest('md5', `${seed}:attributes`),
    eventSource: 'aws:sqs',
    eventSourceARN: BENCH_QUEUE_ARN,
    awsRegion: 'eu-west-1',
  };
}

function digest(algorithm: 'md5' | 'sha512', text: string): string {
  return createHash(algorithm).update(text).digest('hex');
}

/** A version-4-shaped UUID derived from the seed, so messageIds are stable across runs. */
function uuidFrom(seed: string): string {
  const hex = digest('md5', seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
