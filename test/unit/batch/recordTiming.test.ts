import type { StandardSchemaV1 } from '@standard-schema/spec';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatchProcessor, type RecordOutcome, TimeBudgetExceededError } from '../../../lib/index.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

/** A schema that accepts every message after `wait`: an asynchronous check, as a remote lookup would be. */
function asyncSchema(wait: () => Promise<void>): StandardSchemaV1 {
  return {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: async (value) => {
        await wait();
        return { value };
      },
    },
  };
}

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

  it("starts a record at the finish of the one before it in its lane: the lane's clock, one read for both", async () => {
    // Prepare: a synchronous onSuccess hook that takes 100 ms. The next record in the lane is taken up
    // once it returns; its attempt counts from the moment the lane came free, hook included.
    vi.useFakeTimers({ now: 1_000_000 });
    const process = createBatchProcessor(
      async () => {
        vi.setSystemTime(Date.now() + 200);
      },
      {
        logger: recordingLogger(),
        concurrency: 1,
        hooks: { onSuccess: () => void vi.setSystemTime(Date.now() + 100) },
      },
    );
    // Act
    const { outcomes } = await process(sqsEvent([{ n: 1 }, { n: 2 }, { n: 3 }]), lambdaContext(30_000));
    // Assess
    expect(outcomes.map(({ startedAt, finishedAt }) => [startedAt, finishedAt])).toEqual([
      [1_000_000, 1_000_200],
      [1_000_200, 1_000_500],
      [1_000_500, 1_000_800],
    ]);
  });

  it('reads the clock afresh for a record whose start waited for something asynchronous', async () => {
    // Prepare: the second record's schema check is asynchronous and takes 50 ms; what the lane read
    // before that wait is no longer now.
    vi.useFakeTimers({ now: 1_000_000 });
    const process = createBatchProcessor(
      async () => {
        vi.setSystemTime(Date.now() + 200);
      },
      {
        logger: recordingLogger(),
        concurrency: 1,
        schema: asyncSchema(async () => {
          vi.setSystemTime(Date.now() + 50);
        }),
      },
    );
    // Act
    const { outcomes } = await process(sqsEvent([{ n: 1 }, { n: 2 }]), lambdaContext(30_000));
    // Assess
    expect(outcomes.map(({ startedAt, finishedAt }) => [startedAt, finishedAt])).toEqual([
      [1_000_050, 1_000_250],
      [1_000_300, 1_000_500],
    ]);
  });

  it('reads the clock once per record a lane takes up on a healthy batch, not once at each end', async () => {
    // Prepare: the same batch with 2 and with 12 records in 2 lanes; the difference is what the 10 records
    // that lanes took up after a finish cost.
    const reads = async (records: number) => {
      const process = createBatchProcessor(async () => undefined, {
        logger: recordingLogger(),
        concurrency: 2,
        hooks: { onSuccess: () => undefined },
      });
      const event = sqsEvent(Array.from({ length: records }, (_, n) => ({ n })));
      const clock = vi.spyOn(Date, 'now');
      await process(event, lambdaContext(30_000));
      const count = clock.mock.calls.length;
      clock.mockRestore();
      return count;
    };
    // Act
    const two = await reads(2);
    const twelve = await reads(12);
    // Assess
    expect(twelve - two).toBe(10);
  });
});
