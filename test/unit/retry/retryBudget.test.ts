import { afterEach, describe, expect, it, vi } from 'vitest';
import { BATCH_CONFIG_DEFAULTS } from '../../../lib/config/batchConfig.js';
import { createBatchProcessor } from '../../../lib/index.js';
import { RetryBudget } from '../../../lib/retry/retryBudget.js';
import { problemsOf } from '../../helpers/invalidOptions.js';
import { captureMetricLines } from '../../helpers/metricLines.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

/** A clock the test moves by hand. */
function manualClock(startMs = 1_735_689_600_000) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function spend(budget: RetryBudget, tries: number): number {
  let granted = 0;
  for (let index = 0; index < tries; index += 1) if (budget.tryRetry()) granted += 1;
  return granted;
}

describe('retry budget: window math', () => {
  it('allows ratio x first attempts, rounding down, and no more', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 0 }, clock.now);
    for (let index = 0; index < 10; index += 1) budget.recordFirstAttempt();
    expect(budget.available()).toBe(2);
    expect(spend(budget, 5)).toBe(2);
    expect(budget.available()).toBe(0);
  });

  it('needs whole retries: 3 first attempts at 25% earn none', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 0.25, windowSeconds: 10, minRetriesPerSecond: 0 }, clock.now);
    for (let index = 0; index < 3; index += 1) budget.recordFirstAttempt();
    expect(budget.tryRetry()).toBe(false);
    budget.recordFirstAttempt();
    expect(budget.tryRetry()).toBe(true);
  });

  it('keeps a reserve of minRetriesPerSecond x windowSeconds without any first attempt', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 1 }, clock.now);
    expect(spend(budget, 15)).toBe(10);
  });

  it('slides: first attempts and retries leave the window after windowSeconds', () => {
    const clock = manualClock(1_000_000_000_000);
    const budget = new RetryBudget({ ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 0 }, clock.now);
    for (let index = 0; index < 10; index += 1) budget.recordFirstAttempt();
    expect(spend(budget, 2)).toBe(2);
    clock.advance(5_000);
    for (let index = 0; index < 10; index += 1) budget.recordFirstAttempt();
    // 20 first attempts earn 4; 2 are spent.
    expect(budget.available()).toBe(2);
    clock.advance(4_999);
    expect(budget.available()).toBe(2);
    clock.advance(1);
    // t = 10 s: the first second (10 attempts, 2 retries) has left; the 10 attempts of t = 5 s remain.
    expect(budget.available()).toBe(2);
    expect(spend(budget, 3)).toBe(2);
    clock.advance(5_000);
    expect(budget.available()).toBe(0);
  });

  it('reuses ring buckets without carrying old counts over', () => {
    const clock = manualClock(1_000_000_000_000);
    const budget = new RetryBudget({ ratio: 1, windowSeconds: 3, minRetriesPerSecond: 0 }, clock.now);
    for (let index = 0; index < 100; index += 1) budget.recordFirstAttempt();
    clock.advance(3_000); // same bucket index, three seconds later
    budget.recordFirstAttempt();
    expect(budget.available()).toBe(1);
  });

  it('counts a first attempt in the second of the time it is given, not of its own clock', () => {
    const clock = manualClock(1_000_000_000_000);
    const budget = new RetryBudget({ ratio: 1, windowSeconds: 3, minRetriesPerSecond: 0 }, clock.now);
    budget.recordFirstAttempt(clock.now() - 5_000); // already out of the 3 s window
    expect(budget.available()).toBe(0);
    budget.recordFirstAttempt(clock.now() - 1_000);
    expect(budget.available()).toBe(1);
  });

  it('defaults to 20% over 10 s plus 1 retry per second', () => {
    expect(BATCH_CONFIG_DEFAULTS.retry.budget).toEqual({
      ratio: 0.2,
      windowSeconds: 10,
      minRetriesPerSecond: 1,
    });
  });
});

describe('retry budget in the runtime', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const alwaysFailing = () => {
    const calls = { count: 0 };
    const handler = () => {
      calls.count += 1;
      throw new Error('downstream unavailable');
    };
    return { calls, handler };
  };

  it('in an outage, limits handler calls to first attempts plus the budget, and counts the denials', async () => {
    // Prepare
    const lines = captureMetricLines();
    const { calls, handler } = alwaysFailing();
    const processor = createBatchProcessor(handler, {
      retry: { scheduleMs: [0, 0], budget: { ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 0 } },
      concurrency: 1,
      metrics: true,
      configFromEnvironment: false,
    });
    // Act
    const result = await processor(sqsEvent(Array.from({ length: 20 }, (_, index) => ({ index }))));
    // Assess: 20 first attempts earn 4 retries; without the budget there would be 60 calls. Every record
    // meets one refusal: 16 on their first retry, the 4 that got one on their second.
    expect(calls.count).toBe(24);
    expect(result.outcomes.every((outcome) => outcome.status === 'failed' && !outcome.permanent)).toBe(true);
    expect(result.outcomes.map((outcome) => outcome.calls).filter((calls) => calls === 2)).toHaveLength(4);
    expect(result.response.batchItemFailures).toHaveLength(20);
    expect(lines[0]).toMatchObject({ RetriesDenied: 20, TransientFailures: 20 });
  });

  it('is shared by the invocations of one handler (the container)', async () => {
    const { calls, handler } = alwaysFailing();
    const processor = createBatchProcessor(handler, {
      retry: { scheduleMs: [0], budget: { ratio: 0.5, windowSeconds: 60, minRetriesPerSecond: 0 } },
      concurrency: 1,
      configFromEnvironment: false,
    });
    await processor(sqsEvent([{}, {}])); // 2 first attempts earn 1 retry, spent here
    expect(calls.count).toBe(3);
    await processor(sqsEvent([{}])); // 3 first attempts earn 1.5: nothing left for this one
    expect(calls.count).toBe(4);
  });

  it('lifts the limit with budget: false', async () => {
    const { calls, handler } = alwaysFailing();
    const processor = createBatchProcessor(handler, {
      retry: { scheduleMs: [0, 0], budget: false },
      configFromEnvironment: false,
    });
    await processor(sqsEvent(Array.from({ length: 20 }, () => ({}))));
    expect(calls.count).toBe(60);
  });

  it('by default still heals an occasional flaky record (the reserve)', async () => {
    let calls = 0;
    const processor = createBatchProcessor(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('flaky');
        return 'done';
      },
      { retry: { scheduleMs: [0, 0] }, configFromEnvironment: false },
    );
    const result = await processor(sqsEvent([{}]));
    expect(result.outcomes[0]).toMatchObject({ status: 'succeeded', calls: 3 });
  });

  it('reads the budget from SQS_FAILSAFE_CONFIG, the same schema as in code', async () => {
    vi.stubEnv(
      'SQS_FAILSAFE_CONFIG',
      JSON.stringify({
        version: 1,
        retry: { scheduleMs: [0], budget: { ratio: 0, windowSeconds: 10, minRetriesPerSecond: 0 } },
      }),
    );
    const { calls, handler } = alwaysFailing();
    await createBatchProcessor(handler)(sqsEvent([{}, {}, {}]));
    expect(calls.count).toBe(3);
  });

  it('rejects a budget out of range, listing every problem, in code and in the environment', () => {
    const create = (budget: unknown) => () =>
      createBatchProcessor(() => 'ok', { retry: { budget } as never, configFromEnvironment: false });
    expect(problemsOf(create({ ratio: 1.5, windowSeconds: 0, minRetriesPerSecond: -1, burst: 3 }))).toEqual([
      'retry.budget.ratio: must be a number from 0 to 1 (got 1.5)',
      'retry.budget.windowSeconds: must be an integer from 1 to 3600 (got 0)',
      'retry.budget.minRetriesPerSecond: must be a number from 0 to 1000 (got -1)',
      'retry.budget.burst: is not a known option (burst)',
    ]);
    expect(create('none')).toThrow(/retry\.budget: must be false or an object/);
    vi.stubEnv('SQS_FAILSAFE_CONFIG', JSON.stringify({ retry: { budget: { windowSeconds: 7200 } } }));
    expect(() => createBatchProcessor(() => 'ok')).toThrow(
      /SQS_FAILSAFE_CONFIG[\s\S]*retry\.budget\.windowSeconds: must be an integer from 1 to 3600 \(got 7200\)/,
    );
  });
});
