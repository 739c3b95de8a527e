import { describe, expect, it } from 'vitest';
import { createBatchHandler, PermanentError, type SqsRecord } from '../../../lib/index.js';
import {
  deletedIds,
  interpretBatchResponse,
} from '../../../local/eventSourceMapping/interpretBatchResponse.js';
import { eventOf, ids, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Every response is judged the way Lambda judges it: the messages AWS would delete must be exactly the
 * ones that succeeded.
 */
function judge(records: SqsRecord[], response: unknown) {
  const verdict = interpretBatchResponse(response, ids(records));
  return { verdict, deleted: deletedIds(verdict, ids(records)) };
}

const ok = () => sqsRecord({ body: JSON.stringify({ outcome: 'ok' }) });
const transient = () => sqsRecord({ body: JSON.stringify({ outcome: 'transient' }) });
const permanent = () => sqsRecord({ body: JSON.stringify({ outcome: 'permanent' }) });
const garbage = () => sqsRecord({ body: '{not json' });

const handler = createBatchHandler(
  (message) => {
    const { outcome } = message as { outcome: string };
    if (outcome === 'transient') throw new Error('downstream unavailable');
    if (outcome === 'permanent') throw new PermanentError('order rejected');
  },
  { retry: false },
);

describe('partial batch response', () => {
  it.each([
    ['all succeed', [ok(), ok(), ok()]],
    ['one transient failure in the middle', [ok(), transient(), ok()]],
    ['one permanent failure', [permanent(), ok()]],
    ['one undecodable body among good ones', [ok(), garbage(), ok()]],
    ['every record fails', [transient(), permanent(), garbage()]],
    ['a single record that fails', [transient()]],
  ])('%s: AWS deletes exactly the records that succeeded', async (_, records) => {
    // Act
    const response = await handler(eventOf(records));
    // Assess
    const { verdict, deleted } = judge(records, response);
    expect(verdict.kind).not.toBe('failure');
    const succeeded = records.filter((record) => record.body === JSON.stringify({ outcome: 'ok' }));
    expect(deleted).toEqual(ids(succeeded));
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      ids(records.filter((record) => !succeeded.includes(record))),
    );
  });

  it('returns an empty list for an empty Records list (nothing to do)', async () => {
    const response = await handler({ Records: [] });
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('reports every failure by its messageId, never empty or foreign ids', async () => {
    const records = [transient(), transient()];
    const response = await handler(eventOf(records));
    for (const failure of response.batchItemFailures) {
      expect(failure.itemIdentifier).not.toBe('');
      expect(ids(records)).toContain(failure.itemIdentifier);
    }
  });
});
