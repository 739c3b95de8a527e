import { randomUUID } from 'node:crypto';
import type { SqsEvent, SqsRecord } from '../../lib/index.js';
import standardEvent from '../fixtures/events/sqs-event.json' with { type: 'json' };
import fifoEvent from '../fixtures/events/sqs-fifo-event.json' with { type: 'json' };

/** Record factories shaped on the AWS sample events (fixtures/events), so tests see what Lambda sends. */

const standardTemplate = standardEvent.Records[0] as SqsRecord;
const fifoTemplate = fifoEvent.Records[0] as unknown as SqsRecord;

export const STANDARD_QUEUE_ARN = standardTemplate.eventSourceARN;
export const FIFO_QUEUE_ARN = fifoTemplate.eventSourceARN;

export interface RecordOverrides extends Partial<Omit<SqsRecord, 'attributes'>> {
  attributes?: Partial<SqsRecord['attributes']>;
}

export function sqsRecord(overrides: RecordOverrides = {}): SqsRecord {
  const { attributes, ...rest } = overrides;
  return {
    ...structuredClone(standardTemplate),
    messageId: randomUUID(),
    ...rest,
    attributes: { ...standardTemplate.attributes, ...attributes },
  };
}

export function fifoRecord(group: string, overrides: RecordOverrides = {}): SqsRecord {
  const { attributes, ...rest } = overrides;
  const messageId = overrides.messageId ?? randomUUID();
  return {
    ...structuredClone(fifoTemplate),
    messageId,
    ...rest,
    attributes: {
      ...fifoTemplate.attributes,
      MessageGroupId: group,
      MessageDeduplicationId: messageId,
      ...attributes,
    },
  };
}

/** An event of `bodies.length` standard-queue records with JSON bodies. */
export function sqsEvent(bodies: readonly unknown[]): SqsEvent {
  return { Records: bodies.map((body) => sqsRecord({ body: JSON.stringify(body) })) };
}

export function eventOf(records: readonly SqsRecord[]): SqsEvent {
  return { Records: [...records] };
}

export const ids = (records: readonly SqsRecord[]) => records.map((record) => record.messageId);
