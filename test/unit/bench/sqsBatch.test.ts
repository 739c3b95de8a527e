import { describe, expect, it } from 'vitest';
import { buildBatch, REJECTED_KIND } from '../../../bench/support/sqsBatch.js';
import { createBatchHandler, PermanentError } from '../../../lib/index.js';

/** The benchmark's events: every runner is compared on them, so they must be what the suite says. */
describe('bench event factory', () => {
  it('spreads the failing share evenly and lists the failing records', () => {
    const { event, failingIds } = buildBatch({ records: 10, failingShare: 0.2 });
    const rejected = event.Records.filter((record) => JSON.parse(record.body).kind === REJECTED_KIND);
    expect(rejected.map((record) => event.Records.indexOf(record))).toEqual([4, 9]);
    expect(failingIds).toEqual(rejected.map((record) => record.messageId));
  });

  it('builds the same event on every call', () => {
    expect(buildBatch({ records: 50, failingShare: 0.2 })).toEqual(
      buildBatch({ records: 50, failingShare: 0.2 }),
    );
  });

  it('builds records the runtime accepts as an SQS event, with string epoch-ms timestamps', async () => {
    const { event, failingIds } = buildBatch({ records: 5, failingShare: 0.2 });
    const handler = createBatchHandler(
      (task) => {
        if ((task as { kind: string }).kind === REJECTED_KIND) throw new PermanentError('rejected');
      },
      { retry: false },
    );
    const response = await handler(event);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(failingIds);
    for (const record of event.Records) {
      expect(record.attributes.SentTimestamp).toMatch(/^\d{13}$/);
      expect(record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});
