import { sleep } from '../time/sleep.js';
import { isRetryableAwsError } from './awsCallError.js';
import { type AwsCallPolicy, DEFAULT_AWS_CALL_POLICY } from './awsCallPolicy.js';
import { callWithin } from './callDeadline.js';

/**
 * One AWS call that is not a batch (the Lambda and CloudWatch control-plane calls, queue reads), retried
 * while the error may pass (throttling, server faults, network errors, timeouts, or what `isRetryable`
 * adds) with full jitter doubling from `baseDelayMs`, never past the policy's deadline. Each request gets
 * an abort signal and is cut at its attempt timeout or the deadline (callWithin); `extraMs` lengthens the
 * attempt timeout for a request that waits on purpose (a long poll). The last error is thrown as it is.
 */
export async function retryAwsCall<T>(
  call: (abortSignal: AbortSignal) => Promise<T>,
  policy: AwsCallPolicy,
  isRetryable: (error: unknown) => boolean = isRetryableAwsError,
  extraMs = 0,
): Promise<T> {
  const maxAttempts = policy.maxAttempts ?? DEFAULT_AWS_CALL_POLICY.maxAttempts;
  const baseDelayMs = policy.baseDelayMs ?? DEFAULT_AWS_CALL_POLICY.baseDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await callWithin(call, policy, extraMs);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      const delayMs = Math.floor(Math.random() * baseDelayMs * 2 ** (attempt - 1));
      if (Date.now() + delayMs >= policy.deadline) throw error;
      await sleep(delayMs);
    }
  }
}
