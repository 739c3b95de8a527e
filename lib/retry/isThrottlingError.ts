/**
 * Error names AWS services use for throttling (the SDK's own list, plus the service-specific ones).
 * Throttling always deserves a retry: the request was fine, the rate was not.
 */
const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'KMSThrottlingException',
]);

/** True for an AWS SDK v3 throttling error, recognised by name, by HTTP 429 or by the SDK's own flag. */
export function isThrottlingError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as {
    name?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $retryable?: { throttling?: unknown };
  };
  return (
    (typeof candidate.name === 'string' && THROTTLING_NAMES.has(candidate.name)) ||
    candidate.$metadata?.httpStatusCode === 429 ||
    candidate.$retryable?.throttling === true
  );
}
