import { describe, expect, it } from 'vitest';
import { BatchFailedError, createBatchHandler } from '../../../lib/index.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

const failing = () => {
  throw new Error('down');
};

describe('a batch in which every record failed', () => {
  it('is reported record by record by default (AWS scales pollers down on function errors)', async () => {
    const handler = createBatchHandler(failing, { retry: false });
    const response = await handler(sqsEvent([{}, {}]));
    expect(response.batchItemFailures).toHaveLength(2);
  });

  it('throws a BatchFailedError with throwOnBatchFailure', async () => {
    const handler = createBatchHandler(failing, { retry: false, throwOnBatchFailure: true });
    await expect(handler(sqsEvent([{}, {}]))).rejects.toThrow(BatchFailedError);
    await expect(handler(sqsEvent([{}, {}]))).rejects.toThrow(
      /All 2 records failed .* first error: Error: down/,
    );
  });

  it('does not throw when at least one record succeeded', async () => {
    let calls = 0;
    const handler = createBatchHandler(
      () => {
        calls += 1;
        if (calls > 1) throw new Error('down');
      },
      { retry: false, throwOnBatchFailure: true, concurrency: 1 },
    );
    const response = await handler(sqsEvent([{}, {}]));
    expect(response.batchItemFailures).toHaveLength(1);
  });
});
