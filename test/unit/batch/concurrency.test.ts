import { describe, expect, it } from 'vitest';
import { createBatchProcessor } from '../../../lib/index.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

async function peakInFlight(records: number, concurrency: number | undefined) {
  let inFlight = 0;
  let peak = 0;
  const processor = createBatchProcessor(
    async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
    },
    concurrency === undefined ? {} : { concurrency },
  );
  const result = await processor(sqsEvent(Array.from({ length: records }, () => ({}))));
  return { peak, result };
}

describe('concurrency on standard queues', () => {
  it.each([
    [50, 1, 1],
    [50, 7, 7],
    [5, 7, 5],
    [100, undefined, 10],
  ])('%i records with limit %s run at most %i at once', async (records, limit, expectedPeak) => {
    const { peak, result } = await peakInFlight(records, limit);
    expect(peak).toBe(expectedPeak);
    expect(result.outcomes.every((outcome) => outcome.status === 'succeeded')).toBe(true);
  });
});
