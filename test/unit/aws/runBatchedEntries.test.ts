import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BatchCall, runBatchedEntries } from '../../../lib/aws/runBatchedEntries.js';

const forever = { deadline: Number.POSITIVE_INFINITY, baseDelayMs: 1 };

/** A fake batch API that records each call's ids and answers through `answer`. */
function fakeApi(
  answer: (
    ids: string[],
    call: number,
  ) => 'ok' | Error | Record<string, { code: string; senderFault: boolean }>,
) {
  const calls: string[][] = [];
  const call: BatchCall<string, string> = async (entries) => {
    const ids = entries.map(({ id }) => id);
    calls.push(entries.map(({ entry }) => entry));
    const reply = answer(ids, calls.length);
    if (reply instanceof Error) throw reply;
    const failedIds = reply === 'ok' ? {} : reply;
    return {
      successful: entries
        .filter(({ id }) => !(id in failedIds))
        .map(({ id, entry }) => ({ id, value: `done:${entry}` })),
      failed: Object.entries(failedIds).map(([id, { code, senderFault }]) => ({
        id,
        code,
        message: code,
        senderFault,
      })),
    };
  };
  return { call, calls };
}

const entries = (count: number) => Array.from({ length: count }, (_, index) => `m${index}`);

describe('runBatchedEntries', () => {
  it.each([
    [1, 1],
    [10, 1],
    [11, 2],
    [25, 3],
    [100, 10],
  ])('%i entries take the minimum ceil(k/10) = %i calls', async (count, expectedCalls) => {
    const { call, calls } = fakeApi(() => 'ok');
    const results = await runBatchedEntries(entries(count), call, { maxEntries: 10 }, forever);
    expect(calls).toHaveLength(expectedCalls);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it('assigns ids that are valid and distinct within each call', async () => {
    const seen: string[][] = [];
    const call: BatchCall<string, undefined> = async (batch) => {
      seen.push(batch.map(({ id }) => id));
      return { successful: batch.map(({ id }) => ({ id, value: undefined })), failed: [] };
    };
    await runBatchedEntries(entries(23), call, { maxEntries: 10 }, forever);
    for (const ids of seen) {
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    }
  });

  it('splits by payload size as well as by count', async () => {
    const { call, calls } = fakeApi(() => 'ok');
    await runBatchedEntries(
      ['a'.repeat(600), 'b'.repeat(600), 'c'.repeat(10)],
      call,
      {
        maxEntries: 10,
        maxBytes: 1_000,
        sizeOf: (entry) => entry.length,
      },
      forever,
    );
    expect(calls.map((batch) => batch.length)).toEqual([1, 2]);
  });

  it('returns one result per entry in input order, mapping answers back by id', async () => {
    const { call } = fakeApi(() => ({ e1: { code: 'InvalidParameterValue', senderFault: true } }));
    const results = await runBatchedEntries(['x', 'y', 'z'], call, { maxEntries: 10 }, forever);
    expect(results).toEqual([
      { ok: true, value: 'done:x' },
      {
        ok: false,
        failure: { code: 'InvalidParameterValue', message: 'InvalidParameterValue', retryable: false },
      },
      { ok: true, value: 'done:z' },
    ]);
  });

  it('retries a throttled call, then succeeds', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { call, calls } = fakeApi((_, n) => (n === 1 ? throttled : 'ok'));
    const results = await runBatchedEntries(entries(3), call, { maxEntries: 10 }, forever);
    expect(calls).toHaveLength(2);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it('retries only the Failed[] entries without a sender fault, one by one', async () => {
    const { call, calls } = fakeApi((_ids, n) =>
      n === 1
        ? {
            e0: { code: 'InternalError', senderFault: false },
            e2: { code: 'ReceiptHandleIsInvalid', senderFault: true },
          }
        : 'ok',
    );
    const results = await runBatchedEntries(['a', 'b', 'c'], call, { maxEntries: 10 }, forever);
    expect(calls).toEqual([['a', 'b', 'c'], ['a']]);
    expect(results.map((result) => result.ok)).toEqual([true, true, false]);
  });

  it('does not retry a call that failed for a client reason', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDenied', $fault: 'client' });
    const { call, calls } = fakeApi(() => denied);
    const results = await runBatchedEntries(entries(2), call, { maxEntries: 10 }, forever);
    expect(calls).toHaveLength(1);
    expect(results[0]).toEqual({
      ok: false,
      failure: { code: 'AccessDenied', message: 'not allowed', retryable: false },
    });
  });

  it('gives up after maxAttempts, reporting the last failure', async () => {
    const { call, calls } = fakeApi(() => ({ e0: { code: 'ServiceUnavailable', senderFault: false } }));
    const results = await runBatchedEntries(['a'], call, { maxEntries: 10 }, { ...forever, maxAttempts: 3 });
    expect(calls).toHaveLength(3);
    expect(results[0]).toMatchObject({ ok: false, failure: { code: 'ServiceUnavailable' } });
  });

  it('starts no retry that would pass the deadline', async () => {
    const { call, calls } = fakeApi(() =>
      Object.assign(new Error('slow down'), { name: 'ThrottlingException' }),
    );
    // The first retry would wait up to 1 s; the deadline is 200 ms away.
    const results = await runBatchedEntries(
      ['a'],
      call,
      { maxEntries: 10 },
      { deadline: Date.now() + 200, baseDelayMs: 1_000_000 },
    );
    expect(calls).toHaveLength(1);
    expect(results[0]).toMatchObject({
      ok: false,
      failure: { code: 'ThrottlingException', retryable: true },
    });
  });

  it('starts no request once the deadline is (all but) reached: its entries fail with a timeout', async () => {
    const { call, calls } = fakeApi(() => 'ok');
    const results = await runBatchedEntries(
      ['a', 'b'],
      call,
      { maxEntries: 10 },
      { deadline: Date.now() + 5 },
    );
    expect(calls).toHaveLength(0);
    expect(results).toMatchObject([
      { ok: false, failure: { code: 'TimeoutError', retryable: true } },
      { ok: false, failure: { code: 'TimeoutError', retryable: true } },
    ]);
  });
});

describe('runBatchedEntries under a deadline (issue 13: calls after the handler had no timeout)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_735_689_600_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts a hung request at the deadline and fails its entries, even when the client ignores the signal', async () => {
    // Prepare: a service that never answers; the deadline is 800 ms away.
    let signal: AbortSignal | undefined;
    const hung: BatchCall<string, string> = (_entries, abortSignal) => {
      signal = abortSignal;
      return new Promise(() => {});
    };
    // Act
    const running = runBatchedEntries(['a'], hung, { maxEntries: 10 }, { deadline: Date.now() + 800 });
    await vi.advanceTimersByTimeAsync(800);
    const results = await running;
    // Assess
    expect(Date.now() - 1_735_689_600_000).toBe(800);
    expect(signal?.aborted).toBe(true);
    expect(results[0]).toMatchObject({ ok: false, failure: { code: 'TimeoutError' } });
    expect(results[0]?.ok === false && results[0].failure.message).toMatch(/deadline/);
  });

  it('cuts a request at the attempt timeout and retries it while the deadline allows', async () => {
    // Prepare: the first request hangs, the second answers at once.
    let requests = 0;
    const flaky: BatchCall<string, string> = (entries) => {
      requests += 1;
      if (requests === 1) return new Promise(() => {});
      return Promise.resolve({
        successful: entries.map(({ id }) => ({ id, value: 'sent' })),
        failed: [],
      });
    };
    // Act
    const running = runBatchedEntries(
      ['a'],
      flaky,
      { maxEntries: 10 },
      { deadline: Date.now() + 10_000, attemptTimeoutMs: 2_000, baseDelayMs: 1 },
    );
    await vi.advanceTimersByTimeAsync(2_100);
    const results = await running;
    // Assess
    expect(requests).toBe(2);
    expect(results[0]).toEqual({ ok: true, value: 'sent' });
  });
});
