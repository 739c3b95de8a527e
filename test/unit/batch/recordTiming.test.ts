import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatchProcessor, type RecordOutcome, TimeBudgetExceededError } from '../../../lib/index.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

/**
 * The clock reads of the record runner: the outcome's timestamps, and the time-budget check that decides
 * whether a record may still start. processRecord reads the clock once per attempt start and once per end
 * and shares each read among these, so these tests pin what each read must mean.
 */
describe('record timing', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stamps a successful record with when it started and finished', async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });
    const seenByHook: (number | undefined)[] = [];
    const process = createBatchProcessor(
      async () => {
        vi.setSystemTime(Date.now() + 250);
      },
      {
        logger: recordingLogger(),
        hooks: { onSuccess: (outcome) => void seenByHook.push(outcome.finishedAt) },
      },
    );
    // Act
    const { outcomes } = await process(sqsEvent([{ n: 1 }]), lambdaContext(30_000));
    // Assess
    const [outcome] = outcomes as RecordOutcome[];
    expect(outcome).toMatchObject({ status: 'succeeded', calls: 1, attempts: 1, startedAt: 1_000_000 });
    expect(outcome?.finishedAt).toBe(1_000_250);
    expect(seenByHook).toEqual([1_000_250]);
  });

  it('skips a record when the time left cannot fit a typical attempt', async () => {
    // Prepare: 2 s left minus the 1 s margin; the first record takes 600 ms of it.
    vi.useFakeTimers({ now: 1_000_000 });
    const process = createBatchProcessor(
      async () => {
        vi.setSystemTime(Date.now() + 600);
      },
      { logger: recordingLogger(), concurrency: 1 },
    );
    // Act
    const { outcomes, response } = await process(sqsEvent([{ n: 1 }, { n: 2 }]), lambdaContext(2_000));
    // Assess: 600 ms used, 400 ms left, a typical attempt takes 600 ms, so the second never starts.
    const [first, second] = outcomes as RecordOutcome[];
    expect(first).toMatchObject({ status: 'succeeded', startedAt: 1_000_000, finishedAt: 1_000_600 });
    expect(second).toMatchObject({ status: 'skipped', calls: 0, attempts: 0 });
    expect(second?.startedAt).toBeUndefined();
    expect(second?.error).toBeInstanceOf(TimeBudgetExceededError);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: second?.record.messageId }]);
  });

  it('starts a record that fits exactly at the deadline', async () => {
    // Prepare: the first record takes 500 ms of a 1 s budget, leaving exactly one typical attempt.
    vi.useFakeTimers({ now: 1_000_000 });
    const process = createBatchProcessor(
      async () => {
        vi.setSystemTime(Date.now() + 500);
      },
      { logger: recordingLogger(), concurrency: 1 },
    );
    // Act
    const { outcomes } = await process(sqsEvent([{ n: 1 }, { n: 2 }]), lambdaContext(2_000));
    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['succeeded', 'succeeded']);
    expect(outcomes[1]).toMatchObject({ startedAt: 1_000_500, finishedAt: 1_001_000 });
  });
});
