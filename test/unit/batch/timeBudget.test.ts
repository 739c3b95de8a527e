import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatchProcessor, TimeBudgetExceededError } from '../../../lib/index.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('time budget', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_735_689_600_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns before the Lambda timeout, keeping finished outcomes and failing unfinished ones', async () => {
    // Prepare: 3 s function, 1 s margin; one record finishes at once, one would take 10 s.
    const context = lambdaContext(3_000);
    const processor = createBatchProcessor(
      async (message: unknown, { signal }) => {
        if ((message as { slow: boolean }).slow) await sleep(10_000);
        return signal.aborted;
      },
      { safetyMarginMs: 1_000 },
    );
    // Act
    const pending = processor(sqsEvent([{ slow: false }, { slow: true }]), context);
    await vi.advanceTimersByTimeAsync(2_000);
    const result = await pending;
    // Assess
    expect(context.getRemainingTimeInMillis()).toBe(1_000);
    expect(result.timedOut).toBe(true);
    expect(result.outcomes[0]).toMatchObject({ status: 'succeeded', result: false });
    expect(result.outcomes[1]?.status).toBe('failed');
    expect(result.outcomes[1]?.error).toBeInstanceOf(TimeBudgetExceededError);
    expect(result.response.batchItemFailures).toEqual([
      { itemIdentifier: result.outcomes[1]?.record.messageId },
    ]);
  });

  it('aborts the signal handed to handlers at the deadline', async () => {
    let seen: AbortSignal | undefined;
    const processor = createBatchProcessor(
      async (_message: unknown, { signal }) => {
        seen = signal;
        await sleep(60_000);
      },
      { safetyMarginMs: 500 },
    );
    const pending = processor(sqsEvent([{}]), lambdaContext(2_000));
    await vi.advanceTimersByTimeAsync(1_500);
    await pending;
    expect(seen?.aborted).toBe(true);
  });

  it('does not start a backoff sleep that would end after the deadline; leaves the retry to SQS', async () => {
    let attempts = 0;
    const processor = createBatchProcessor(
      () => {
        attempts += 1;
        throw new Error('transient');
      },
      { retry: { scheduleMs: [5_000] }, safetyMarginMs: 1_000 },
    );
    const pending = processor(sqsEvent([{}]), lambdaContext(3_000));
    await vi.runAllTimersAsync();
    const result = await pending;
    expect(attempts).toBe(1);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', calls: 1, attempts: 1 });
    expect(result.outcomes[0]?.error?.message).toBe('transient');
    expect(Date.now() - 1_735_689_600_000).toBeLessThan(2_000);
  });

  it('does not start a record when attempts in this batch show it cannot finish in time', async () => {
    // Prepare: one record at a time; each takes 800 ms; 2 s usable.
    const processor = createBatchProcessor(() => sleep(800), { concurrency: 1, safetyMarginMs: 1_000 });
    // Act
    const pending = processor(sqsEvent([{}, {}, {}, {}]), lambdaContext(3_000));
    await vi.runAllTimersAsync();
    const result = await pending;
    // Assess: 2 fit (1.6 s); the third would end at 2.4 s, past the deadline, so it is not started.
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual([
      'succeeded',
      'succeeded',
      'skipped',
      'skipped',
    ]);
    expect(result.outcomes[2]?.error).toBeInstanceOf(TimeBudgetExceededError);
    expect(result.outcomes[2]?.calls).toBe(0);
  });

  it('a handler finishing after the deadline cannot change the reported outcome', async () => {
    const processor = createBatchProcessor(() => sleep(5_000).then(() => 'late'), { safetyMarginMs: 1_000 });
    const pending = processor(sqsEvent([{}]), lambdaContext(3_000));
    await vi.advanceTimersByTimeAsync(2_000);
    const result = await pending;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(result.outcomes[0]?.status).toBe('failed');
    expect(result.outcomes[0]?.result).toBeUndefined();
  });

  it('has no budget without a Lambda context clock', async () => {
    const processor = createBatchProcessor(() => sleep(100_000));
    const pending = processor(sqsEvent([{}]), {});
    await vi.advanceTimersByTimeAsync(100_000);
    const result = await pending;
    expect(result.outcomes[0]?.status).toBe('succeeded');
  });

  it('leaves no timer behind once the batch is done', async () => {
    const processor = createBatchProcessor(() => 'ok');
    await processor(sqsEvent([{}]), lambdaContext(30_000));
    expect(vi.getTimerCount()).toBe(0);
  });

  describe('on the real event loop', () => {
    beforeEach(() => {
      vi.useRealTimers();
    });

    it('arms no deadline timer for a batch that settles within the turn it started in', async () => {
      // Prepare: quick async handlers, as on a healthy batch. Arming and clearing a timer per batch was
      // the largest fixed cost of one (docs/benchmarks.md); the deadline is armed once the turn ends.
      const processor = createBatchProcessor(async () => 'ok');
      const timers = vi.spyOn(globalThis, 'setTimeout');
      // Act
      const { outcomes } = await processor(sqsEvent([{}, {}]), lambdaContext(30_000));
      // Assess
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['succeeded', 'succeeded']);
      expect(timers).not.toHaveBeenCalled();
      timers.mockRestore();
    });

    it('still ends at the deadline when a handler held the first turn past it', async () => {
      // Prepare: 1.3 s left and a 1 s margin: the deadline is 300 ms away. The first record waits 5 s;
      // the second blocks the event loop for 400 ms before returning, past the deadline.
      const processor = createBatchProcessor(
        async (message: unknown) => {
          if ((message as { wait?: boolean }).wait) return sleep(5_000);
          const until = Date.now() + 400;
          while (Date.now() < until) {}
          return 'ok';
        },
        { concurrency: 2 },
      );
      const startedAt = Date.now();
      // Act
      const { outcomes, timedOut } = await processor(
        sqsEvent([{ wait: true }, { wait: false }]),
        lambdaContext(1_300),
      );
      // Assess: returned at once after the blocking turn, not after the 5 s wait.
      expect(Date.now() - startedAt).toBeLessThan(1_000);
      expect(timedOut).toBe(true);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'succeeded']);
    });
  });
});
