import { describe, expect, it } from 'vitest';
import {
  encodeFailureMetadata,
  FAILURE_ATTRIBUTES,
  FAILURE_JSON_ATTRIBUTE,
  type FailureMetadata,
  readFailureMetadata,
} from '../../../lib/deadLetter/failureMetadata.js';

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

  it('returns undefined for a message without metadata', () => {
    expect(readFailureMetadata({ tenant: attribute('acme') })).toBeUndefined();
  });
});
