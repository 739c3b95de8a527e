import type { SqsRecord } from './sqsEvent.js';

/**
 * The system attributes the runtime makes decisions with, read defensively: Lambda sends them as strings
 * of epoch milliseconds and counts (docs/aws-semantics.md#sqs-event-record), but an event built by hand,
 * replayed or relayed may carry anything. A value that cannot be what AWS sends is treated as missing,
 * never guessed at: a SentTimestamp in seconds read as milliseconds makes a fresh message look 56 years old.
 */

/** 2000-01-01: no SQS message was sent earlier, and a timestamp in seconds (about 1.8e9 today) is below it. */
const EARLIEST_EPOCH_MS = 946_684_800_000;
/** Year 5138: a timestamp in microseconds (about 1.8e15 today) is above it. */
const LATEST_EPOCH_MS = 100_000_000_000_000;

/** An epoch-milliseconds string as Lambda sends it; undefined for anything that cannot be one. */
export function epochMillis(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = Number(value);
  return Number.isInteger(ms) && ms >= EARLIEST_EPOCH_MS && ms < LATEST_EPOCH_MS ? ms : undefined;
}

/** When the message was first sent to the queue (SentTimestamp), if the record says so usably. */
export function sentTimestampOf(record: SqsRecord): number | undefined {
  return epochMillis(record.attributes.SentTimestamp);
}

/** When the message was first received (ApproximateFirstReceiveTimestamp), if usable. */
export function firstReceiveTimestampOf(record: SqsRecord): number | undefined {
  return epochMillis(record.attributes.ApproximateFirstReceiveTimestamp);
}

/** ApproximateReceiveCount as a count >= 1; undefined when missing or not a whole number. */
export function receiveCountOf(record: SqsRecord): number | undefined {
  const raw = record.attributes.ApproximateReceiveCount as unknown;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const count = Number(raw);
  return Number.isInteger(count) && count >= 1 ? count : undefined;
}

/** The record's system attributes that are present but unusable, by name, for a warning; empty when none. */
export function unusableAttributes(record: SqsRecord): string[] {
  const { attributes } = record;
  const unusable: string[] = [];
  if (attributes.SentTimestamp !== undefined && sentTimestampOf(record) === undefined)
    unusable.push('SentTimestamp');
  if (
    attributes.ApproximateFirstReceiveTimestamp !== undefined &&
    firstReceiveTimestampOf(record) === undefined
  )
    unusable.push('ApproximateFirstReceiveTimestamp');
  if (attributes.ApproximateReceiveCount !== undefined && receiveCountOf(record) === undefined)
    unusable.push('ApproximateReceiveCount');
  return unusable;
}
