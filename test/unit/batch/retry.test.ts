import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatchProcessor, PermanentError, type RetryEvent } from '../../../lib/index.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

/** A handler that fails `failures` times, then succeeds, recording when each attempt started. */
function flakyHandler(failures: number, error: () => Error = () => new Error('transient')) {
  const attemptTimes: number[] = [];
  const handler = () => {
    attemptTimes.push(Date.now());
    if (attemptTimes.length <= failures) throw error();
    return 'done';
  };
  return { handler, attemptTimes };
}

const gaps = (times: number[]) => times.slice(1).map((time, index) => time - (times[index] as number));

describe('retry inside the invocation', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_735_689_600_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('waits full-jitter delays: uniform over [0, min(max, base * multiplier^r)]', async () => {
    // Prepare: random() at its upper end makes each delay equal its ceiling.
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    const { handler, attemptTimes } = flakyHandler(4);
    const processor = createBatchProcessor(handler, {
      retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 500, multiplier: 2 },
    });
    // Act
    const pending = processor(sqsEvent([{}]), lambdaContext());
    await vi.runAllTimersAsync();
    const result = await pending;
    // Assess: ceilings 100, 200, 400, then capped at 500
    expect(result.outcomes[0]?.status).toBe('succeeded');
    expect(gaps(attemptTimes)).toEqual([99, 199, 399, 499]);
  });

  it('draws each delay from the whole range (jitter can be zero)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { handler, attemptTimes } = flakyHandler(2);
    const processor = createBatchProcessor(handler, { retry: { maxAttempts: 3, baseDelayMs: 1_000 } });
    const pending = processor(sqsEvent([{}]), lambdaContext());
    await vi.runAllTimersAsync();
    await pending;
    expect(gaps(attemptTimes)).toEqual([0, 0]);
  });

  it('follows an explicit schedule t_1..t_n exactly', async () => {
    const { handler, attemptTimes } = flakyHandler(3);
    const processor = createBatchProcessor(handler, { retry: { scheduleMs: [50, 300, 1_200] } });
    const pending = processor(sqsEvent([{}]), lambdaContext());
    await vi.runAllTimersAsync();
    const result = await pending;
    expect(gaps(attemptTimes)).toEqual([50, 300, 1_200]);
    expect(result.outcomes[0]).toMatchObject({ status: 'succeeded', calls: 4, attempts: 1 });
  });

  it('stops after maxAttempts and reports the last error', async () => {
    let calls = 0;
    const processor = createBatchProcessor(
      () => {
        calls += 1;
        throw new Error(`failure ${calls}`);
      },
      { retry: { maxAttempts: 3, baseDelayMs: 10 } },
    );
    const pending = processor(sqsEvent([{}]), lambdaContext());
    await vi.runAllTimersAsync();
    const result = await pending;
    expect(calls).toBe(3);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', calls: 3, attempts: 1, permanent: false });
    expect(result.outcomes[0]?.error?.message).toBe('failure 3');
  });

  it.each([
    ['a PermanentError', () => new PermanentError('rejected'), undefined, 1],
    [
      'an error retryOn declines',
      () => new TypeError('bug'),
      (error: Error) => !(error instanceof TypeError),
      1,
    ],
    [
      'AWS throttling, even when retryOn declines everything',
      () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
      () => false,
      3,
    ],
    ['a plain error (retryable by default)', () => new Error('timeout'), undefined, 3],
  ])('classifies %s', async (_, error, retryOn, expectedAttempts) => {
    const { handler, attemptTimes } = flakyHandler(10, error);
    const processor = createBatchProcessor(handler, { retry: { maxAttempts: 3, baseDelayMs: 5, retryOn } });
    const pending = processor(sqsEvent([{}]), lambdaContext());
    await vi.runAllTimersAsync();
    await pending;
    expect(attemptTimes).toHaveLength(expectedAttempts);
  });

  it('calls onRetry with the attempt, the failed call within it, its error and the delay', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const retries: RetryEvent[] = [];
    const { handler } = flakyHandler(2);
    const processor = createBatchProcessor(handler, {
      retry: { maxAttempts: 3, baseDelayMs: 100 },
      hooks: { onRetry: (event) => void retries.push(event) },
    });
    const pending = processor(sqsEvent([{}]), lambdaContext());
    await vi.runAllTimersAsync();
    await pending;
    expect(
      retries.map(({ attempt, call, delayMs, error }) => ({
        attempt,
        call,
        delayMs,
        message: error.message,
      })),
    ).toEqual([
      { attempt: 1, call: 1, delayMs: 50, message: 'transient' },
      { attempt: 1, call: 2, delayMs: 100, message: 'transient' },
    ]);
  });

  it('does not retry at all with retry: false', async () => {
    const { handler, attemptTimes } = flakyHandler(1);
    const processor = createBatchProcessor(handler, { retry: false });
    const result = await processor(sqsEvent([{}]));
    expect(attemptTimes).toHaveLength(1);
    expect(result.outcomes[0]?.status).toBe('failed');
  });
});
