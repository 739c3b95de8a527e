import { sleep } from '../time/sleep.js';
import { isRetryableAwsError } from './awsCallError.js';
import { type AwsCallPolicy, DEFAULT_AWS_CALL_POLICY } from './awsCallPolicy.js';

/**
 * Makes one (non-batch) AWS call, repeating it while it fails for a reason that may pass (throttling, a
 * server fault, a network error) and the policy allows: full jitter, doubling, never past the deadline.
 * A client fault (bad parameter, missing queue, access denied) is thrown at once.
 */
export async function retryAwsCall<T>(call: () => Promise<T>, policy: AwsCallPolicy): Promise<T> {
  const maxAttempts = policy.maxAttempts ?? DEFAULT_AWS_CALL_POLICY.maxAttempts;
  const baseDelayMs = policy.baseDelayMs ?? DEFAULT_AWS_CALL_POLICY.baseDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryableAwsError(error) || attempt >= maxAttempts) throw error;
      const delayMs = Math.floor(Math.random() * baseDelayMs * 2 ** (attempt - 1));
      if (Date.now() + delayMs >= policy.deadline) throw error;
      await sleep(delayMs);
    }
  }
}
