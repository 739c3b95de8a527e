import { describe, expect, it, vi } from 'vitest';
import { isQueueDoesNotExistError, isUnsupportedOperationError } from '../../../lib/aws/awsCallError.js';
import { retryAwsCall } from '../../../lib/aws/retryAwsCall.js';
import { awsError } from '../../helpers/mockSqs.js';

describe('retryAwsCall', () => {
  const policy = { deadline: Number.POSITIVE_INFINITY, baseDelayMs: 1 };

  it('repeats a throttled or server-faulted call until it succeeds', async () => {
    const call = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(awsError('ThrottlingException'))
      .mockRejectedValueOnce(awsError('InternalError', 'server', 500))
      .mockResolvedValue('ok');
    await expect(retryAwsCall(call, policy)).resolves.toBe('ok');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('throws a client fault at once', async () => {
    const call = vi.fn<() => Promise<string>>().mockRejectedValue(awsError('AccessDenied'));
    await expect(retryAwsCall(call, policy)).rejects.toThrowError(/AccessDenied/);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('gives up after maxAttempts, and never waits past the deadline', async () => {
    const call = vi.fn<() => Promise<string>>().mockRejectedValue(awsError('ThrottlingException'));
    await expect(retryAwsCall(call, { ...policy, maxAttempts: 3 })).rejects.toThrowError();
    expect(call).toHaveBeenCalledTimes(3);
    call.mockClear();
    // The first retry would wait up to 1,000 s; the deadline is 200 ms away.
    await expect(
      retryAwsCall(call, { deadline: Date.now() + 200, baseDelayMs: 1_000_000 }),
    ).rejects.toThrowError();
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('aborts a hung request at the deadline with a TimeoutError (issue 13), even if the client ignores the signal', async () => {
    vi.useFakeTimers();
    try {
      let signal: AbortSignal | undefined;
      const hung = vi.fn((abortSignal: AbortSignal) => {
        signal = abortSignal;
        return new Promise<string>(() => {});
      });
      const running = retryAwsCall(hung, { deadline: Date.now() + 500 });
      const settled = expect(running).rejects.toMatchObject({ name: 'TimeoutError', limit: 'deadline' });
      await vi.advanceTimersByTimeAsync(500);
      await settled;
      expect(signal?.aborted).toBe(true);
      expect(hung).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives a long poll its wait on top of the attempt timeout', async () => {
    vi.useFakeTimers();
    try {
      const poll = vi.fn(
        () => new Promise<string>((resolve) => setTimeout(() => resolve('messages'), 20_000)),
      );
      const running = retryAwsCall(poll, { deadline: Number.POSITIVE_INFINITY }, undefined, 20_000);
      await vi.advanceTimersByTimeAsync(20_000);
      await expect(running).resolves.toBe('messages');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('AWS error kinds', () => {
  it.each([
    [awsError('InvalidAction'), true],
    [awsError('UnknownOperationException'), true],
    [awsError('Whatever', 'server', 501), true],
    [awsError('InvalidParameterValue'), false],
    [new Error('plain'), false],
  ])('unsupported operation: %s -> %s', (error, expected) => {
    expect(isUnsupportedOperationError(error)).toBe(expected);
  });

  it('recognises a missing queue under its JSON and query-protocol names', () => {
    expect(isQueueDoesNotExistError(awsError('QueueDoesNotExist'))).toBe(true);
    expect(isQueueDoesNotExistError(awsError('AWS.SimpleQueueService.NonExistentQueue'))).toBe(true);
    expect(isQueueDoesNotExistError(awsError('AccessDenied'))).toBe(false);
  });
});
