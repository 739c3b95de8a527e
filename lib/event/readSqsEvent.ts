import { InvalidEventError } from '../errors.js';
import type { QueueInfo } from '../types.js';
import { parseQueueArn } from './parseQueueArn.js';
import type { SqsRecord } from './sqsEvent.js';

export interface ReadEvent {
  readonly records: readonly SqsRecord[];
  /** Absent when there are no records. */
  readonly queue: QueueInfo | undefined;
}

/**
 * Checks that the payload is an SQS event sqs-failsafe can report on, and names the queue.
 * Anything it cannot report on is thrown, never half-processed: a record we could not name in
 * `batchItemFailures` would be deleted by SQS when the rest succeeds, and so lost.
 */
export function readSqsEvent(event: unknown): ReadEvent {
  if (
    typeof event !== 'object' ||
    event === null ||
    !Array.isArray((event as { Records?: unknown }).Records)
  ) {
    throw new InvalidEventError(
      `Expected an SQS event ({ Records: [...] }), got ${describe(event)}. ` +
        'Attach this handler to an SQS event source mapping, or pass the event Lambda received.',
    );
  }
  const records = (event as { Records: unknown[] }).Records;
  if (records.length === 0) return { records: [], queue: undefined };

  let sourceArn: string | undefined;
  for (const [index, record] of records.entries()) {
    if (typeof record !== 'object' || record === null) {
      throw new InvalidEventError(`Records[${index}] is ${describe(record)}, not an SQS record.`, { index });
    }
    const { eventSource, messageId, body, eventSourceARN } = record as Partial<SqsRecord>;
    if (eventSource !== 'aws:sqs') {
      throw new InvalidEventError(
        `Records[${index}].eventSource is ${JSON.stringify(eventSource)}, expected "aws:sqs": ` +
          'this handler only consumes SQS events.',
        { index, eventSource },
      );
    }
    if (typeof messageId !== 'string' || messageId === '') {
      throw new InvalidEventError(
        `Records[${index}] has no messageId, so its failure could not be reported; nothing was processed.`,
        { index },
      );
    }
    if (typeof body !== 'string') {
      throw new InvalidEventError(`Records[${index}] (message ${messageId}) has no string body.`, {
        index,
        messageId,
      });
    }
    if (typeof eventSourceARN !== 'string') {
      throw new InvalidEventError(`Records[${index}] (message ${messageId}) has no eventSourceARN.`, {
        index,
        messageId,
      });
    }
    sourceArn ??= eventSourceARN;
    if (eventSourceARN !== sourceArn) {
      throw new InvalidEventError(
        `Records come from two queues (${sourceArn} and ${eventSourceARN}); a Lambda batch has one source.`,
        { index, messageId },
      );
    }
  }
  return { records: records as SqsRecord[], queue: parseQueueArn(sourceArn as string) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  const keys = Object.keys(value).slice(0, 5);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
}
