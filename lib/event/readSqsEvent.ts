import { InvalidEventError } from '../errors.js';
import type { QueueInfo } from '../types.js';
import { parseQueueArn } from './parseQueueArn.js';
import type { SqsRecord } from './sqsEvent.js';

/** A record the runtime had to repair, or cannot process, and why: one warning each. */
export interface RecordProblem {
  readonly index: number;
  readonly messageId: string;
  readonly problem: string;
  /**
   * False: the record cannot be processed (no body): it is reported failed untouched. True: it was
   * repaired (a missing attribute map read as empty) and is processed like the others.
   */
  readonly processable: boolean;
}

export interface ReadEvent {
  readonly records: readonly SqsRecord[];
  /** Absent when there are no records. */
  readonly queue: QueueInfo | undefined;
  /** Empty for every event Lambda itself sends. */
  readonly problems: readonly RecordProblem[];
}

const NO_PROBLEMS: readonly RecordProblem[] = [];

/**
 * A function reads one queue for its whole life: its ARN is parsed once, not on every batch. Frozen, since
 * every batch's result hands out the same object.
 */
let lastQueue: QueueInfo | undefined;

function queueOf(arn: string): QueueInfo {
  if (lastQueue?.arn !== arn) lastQueue = Object.freeze(parseQueueArn(arn));
  return lastQueue;
}

/**
 * Checks that the payload is an SQS event sqs-failsafe can report on, and names the queue. Rules:
 * - not an SQS event (no `Records`, another `eventSource`, records from two queues or without a queue
 *   ARN): thrown as InvalidEventError, nothing processed;
 * - a record that is not an object or has no `messageId`: thrown too, since a record we could not name
 *   in `batchItemFailures` would be deleted by SQS when the rest succeeds, and so lost;
 * - a record without a string body: that record alone is reported failed, untouched (`problems`);
 * - a record without its `attributes` or `messageAttributes` map: read as empty, with a warning, and
 *   processed like the others. Unusable values inside them are the readers' concern (recordAttributes).
 * A well-formed event is returned as it is, without a copy.
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
  if (records.length === 0) return { records: [], queue: undefined, problems: NO_PROBLEMS };

  let sourceArn: string | undefined;
  let problems: RecordProblem[] | undefined;
  let repaired: SqsRecord[] | undefined;
  // An indexed loop: `entries()` would build an [index, record] pair per record on every batch.
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index];
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
    const { attributes, messageAttributes } = record as Partial<SqsRecord>;
    if (typeof body !== 'string' || !isMap(attributes) || !isMap(messageAttributes)) {
      const missing = [
        ...(isMap(attributes) ? [] : ['attributes']),
        ...(isMap(messageAttributes) ? [] : ['messageAttributes']),
      ];
      problems ??= [];
      repaired ??= [...(records as SqsRecord[])];
      repaired[index] = {
        ...(record as SqsRecord),
        // Never processed; read as empty by what reports on it (events say its size is 0).
        body: typeof body === 'string' ? body : '',
        attributes: isMap(attributes) ? attributes : ({} as SqsRecord['attributes']),
        messageAttributes: isMap(messageAttributes) ? messageAttributes : {},
      };
      if (typeof body !== 'string') {
        problems.push({
          index,
          messageId,
          problem: `Records[${index}] has no string body: it is not processed and reported failed, untouched`,
          processable: false,
        });
      } else {
        problems.push({
          index,
          messageId,
          problem: `Records[${index}] has no ${missing.join(' and no ')}: read as empty`,
          processable: true,
        });
      }
    }
  }
  return {
    records: repaired ?? (records as SqsRecord[]),
    queue: queueOf(sourceArn as string),
    problems: problems ?? NO_PROBLEMS,
  };
}

function isMap(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  const keys = Object.keys(value).slice(0, 5);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
}
