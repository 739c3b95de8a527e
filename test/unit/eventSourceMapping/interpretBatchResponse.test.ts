import { describe, expect, it } from 'vitest';
import {
  deletedIds,
  interpretBatchResponse,
} from '../../../local/eventSourceMapping/interpretBatchResponse.js';

const batch = ['m1', 'm2', 'm3'];

describe('interpretBatchResponse (docs/aws-semantics.md#report-batch-item-failures)', () => {
  it.each([
    ['an empty batchItemFailures list', { batchItemFailures: [] }],
    ['null', null],
    ['nothing (undefined)', undefined],
    ['a null batchItemFailures list', { batchItemFailures: null }],
    ['an object without a batchItemFailures key (unstated: treated as a null list)', { ok: true }],
  ])('full success for %s: every message deleted', (_, result) => {
    // Act
    const verdict = interpretBatchResponse(result, batch);
    // Assess
    expect(verdict.kind).toBe('success');
    expect(deletedIds(verdict, batch)).toEqual(batch);
  });

  it('keeps exactly the listed messages and deletes the others', () => {
    const verdict = interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, batch);
    expect(verdict.kind).toBe('partial');
    expect(deletedIds(verdict, batch)).toEqual(['m1', 'm3']);
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: 'm1' }] }],
    ['an id not in the batch', { batchItemFailures: [{ itemIdentifier: 'other' }] }],
    ['a list that is not a list', { batchItemFailures: 'm1' }],
    ['an unparsable result (a string)', 'not json'],
    ['the batch itself (an array)', [{ messageId: 'm1' }]],
    [
      'a mix of a valid and an invalid entry',
      { batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: '' }] },
    ],
  ])('full failure for %s: nothing deleted', (_, result) => {
    const verdict = interpretBatchResponse(result, batch);
    expect(verdict.kind).toBe('failure');
    expect(deletedIds(verdict, batch)).toEqual([]);
  });
});
