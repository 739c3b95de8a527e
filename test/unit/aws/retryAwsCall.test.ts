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
    await expect(retryAwsCall(call, { deadline: Date.now(), baseDelayMs: 100 })).rejects.toThrowError();
    expect(call).toHaveBeenCalledTimes(1);
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
