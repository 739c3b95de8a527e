import { isPermanentError } from '../errors.js';
import type { SqsRecord } from '../event/sqsEvent.js';
import type { RetryPredicate } from '../types.js';
import { isThrottlingError } from './isThrottlingError.js';

/**
 * Whether an attempt may be repeated. Order matters: a PermanentError is never retried, whatever the
 * predicate says; throttling always is (the predicate cannot turn it off); everything else is retried
 * unless the user's predicate declines it.
 */
export function isRetryableError(
  error: Error,
  record: SqsRecord,
  retryOn: RetryPredicate | undefined,
): boolean {
  if (isPermanentError(error)) return false;
  if (isThrottlingError(error)) return true;
  if (retryOn === undefined) return true;
  try {
    return retryOn(error, record);
  } catch {
    // A broken predicate must not decide a message's fate; retrying is what would have happened without it.
    return true;
  }
}
