import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_ENTRIES } from '../../../lib/attempts/attemptHistory.js';
import {
  encodeFailureMetadata,
  encodeHistoryAttribute,
  FAILURE_ATTRIBUTES,
  FAILURE_JSON_ATTRIBUTE,
  type FailureMetadata,
  HISTORY_ATTRIBUTE,
  readFailureMetadata,
} from '../../../lib/deadLetter/failureMetadata.js';
import { attemptEntry, historyWith } from '../../helpers/attemptHistories.js';

const metadata: FailureMetadata = {
  errorClass: 'PermanentError',
  errorMessage: 'bad order',
  reason: 'permanent-error',
  receiveCount: 3,
  attempts: 2,
  sourceQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:orders',
  firstReceivedAt: '2025-01-01T00:00:00.000Z',
  deadLetteredAt: '2025-01-01T00:05:00.000Z',
  functionName: 'worker',
};

const attribute = (value: string) => ({ DataType: 'String', StringValue: value });

describe('failure metadata', () => {
  it('uses separate attributes when they fit, and reads them back', () => {
    const encoded = encodeFailureMetadata('{}', { tenant: attribute('acme') }, metadata);
    if (!encoded.ok) throw new Error(encoded.problem);
    expect(Object.keys(encoded.attributes).sort()).toEqual(
      ['tenant', ...Object.values(FAILURE_ATTRIBUTES)].sort(),
    );
    expect(encoded.attributes[FAILURE_ATTRIBUTES.receiveCount]).toEqual({
      DataType: 'Number',
      StringValue: '3',
    });
    expect(readFailureMetadata(encoded.attributes)).toEqual(metadata);
  });

  it('uses one JSON attribute when the message carries 2 to 9 attributes', () => {
    const own = Object.fromEntries(Array.from({ length: 2 }, (_, i) => [`a${i}`, attribute('v')]));
    const encoded = encodeFailureMetadata('{}', own, metadata);
    if (!encoded.ok) throw new Error(encoded.problem);
    expect(Object.keys(encoded.attributes)).toEqual(['a0', 'a1', FAILURE_JSON_ATTRIBUTE]);
    expect(readFailureMetadata(encoded.attributes)).toEqual(metadata);
  });

  it('replaces the metadata of an earlier failure instead of adding to it', () => {
    const first = encodeFailureMetadata('{}', {}, metadata);
    if (!first.ok) throw new Error(first.problem);
    const second = encodeFailureMetadata('{}', first.attributes, { ...metadata, receiveCount: 7 });
    if (!second.ok) throw new Error(second.problem);
    expect(Object.keys(second.attributes)).toHaveLength(9);
    expect(readFailureMetadata(second.attributes)?.receiveCount).toBe(7);
  });

  it('stores an empty error message as a placeholder (SQS rejects empty values)', () => {
    const encoded = encodeFailureMetadata('{}', {}, { ...metadata, errorMessage: '' });
    expect(encoded.ok && encoded.attributes[FAILURE_ATTRIBUTES.errorMessage]?.StringValue).toBe('-');
  });

  it('carries the attempt history as a tenth attribute when the message has none of its own', () => {
    const history = historyWith(3, { skipped: 2 });
    const encoded = encodeFailureMetadata('{}', {}, { ...metadata, attempts: 3, history });
    if (!encoded.ok) throw new Error(encoded.problem);
    expect(Object.keys(encoded.attributes)).toHaveLength(10);
    expect(JSON.parse(encoded.attributes[HISTORY_ATTRIBUTE]?.StringValue ?? '')).toEqual(history);
    expect(readFailureMetadata(encoded.attributes)).toEqual({ ...metadata, attempts: 3, history });
  });

  it('keeps the history inside the JSON form when the message has attributes of its own', () => {
    const history = historyWith(2);
    const encoded = encodeFailureMetadata('{}', { tenant: attribute('acme') }, { ...metadata, history });
    if (!encoded.ok) throw new Error(encoded.problem);
    expect(Object.keys(encoded.attributes)).toEqual(['tenant', FAILURE_JSON_ATTRIBUTE]);
    expect(readFailureMetadata(encoded.attributes)?.history).toEqual(history);
  });

  it('shrinks the history (texts first, then the entries) before giving up on a body near 1 MiB', () => {
    const history = historyWith(MAX_HISTORY_ENTRIES);
    const long = {
      ...history,
      entries: history.entries.map(() => attemptEntry({ errorMessage: 'e'.repeat(512) })),
    };
    const body = 'x'.repeat(1_048_576 - 2_000);
    const encoded = encodeFailureMetadata(body, {}, { ...metadata, history: long });
    if (!encoded.ok) throw new Error(encoded.problem);
    const read = readFailureMetadata(encoded.attributes)?.history;
    expect(read?.attempts).toBe(MAX_HISTORY_ENTRIES);
    expect(read?.entries.length).toBeLessThan(MAX_HISTORY_ENTRIES);
  });

  it('gives a copy its history in one attribute beside its own, replacing an earlier one', () => {
    const history = historyWith(1);
    const first = encodeHistoryAttribute('{}', { tenant: attribute('acme') }, historyWith(5));
    if (!first.ok) throw new Error(first.problem);
    const second = encodeHistoryAttribute('{}', first.attributes, history);
    if (!second.ok) throw new Error(second.problem);
    expect(Object.keys(second.attributes)).toEqual(['tenant', HISTORY_ATTRIBUTE]);
    expect(JSON.parse(second.attributes[HISTORY_ATTRIBUTE]?.StringValue ?? '')).toEqual(history);
  });

  it('refuses a copy of a message that already carries 10 attributes of its own', () => {
    const own = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, attribute('v')]));
    expect(encodeHistoryAttribute('{}', own, historyWith(1))).toEqual({
      ok: false,
      problem: "it carries 10 message attributes, SQS's maximum, so its attempt history cannot be attached",
    });
  });

  it('returns undefined for a message without metadata', () => {
    expect(readFailureMetadata({ tenant: attribute('acme') })).toBeUndefined();
  });
});
