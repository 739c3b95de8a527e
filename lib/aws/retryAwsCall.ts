import { sleep } from '../time/sleep.js';
import { isRetryableAwsError } from './awsCallError.js';
import { type AwsCallPolicy, DEFAULT_AWS_CALL_POLICY } from './awsCallPolicy.js';

/**
 * One AWS call that is not a batch (the Lambda and CloudWatch control-plane calls), retried while the
 * error may pass (throttling, server faults, network errors, or what `isRetryable` adds) with full jitter
 * doubling from `baseDelayMs`, never past the policy's deadline. The last error is thrown as it is.
 */
export async function retryAwsCall<T>(
  call: () => Promise<T>,
  policy: AwsCallPolicy,
  isRetryable: (error: unknown) => boolean = isRetryableAwsError,
): Promise<T> {
  const maxAttempts = policy.maxAttempts ?? DEFAULT_AWS_CALL_POLICY.maxAttempts;
  const baseDelayMs = policy.baseDelayMs ?? DEFAULT_AWS_CALL_POLICY.baseDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      const delayMs = Math.floor(Math.random() * baseDelayMs * 2 ** (attempt - 1));
      if (Date.now() + delayMs >= policy.deadline) throw error;
      await sleep(delayMs);
    }
  }
}
