import { isThrottlingError } from '../retry/isThrottlingError.js';

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * Whether a failed AWS call may succeed if repeated: throttling, server faults (5xx) and network errors.
 * A client fault (bad parameter, missing queue, access denied) will fail the same way again.
 */
export function isRetryableAwsError(error: unknown): boolean {
  if (isThrottlingError(error)) return true;
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as {
    $fault?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    code?: unknown;
    name?: unknown;
  };
  if (candidate.$retryable !== undefined) return true;
  if (candidate.$fault === 'server') return true;
  const status = candidate.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  if (typeof candidate.code === 'string' && TRANSIENT_NETWORK_CODES.has(candidate.code)) return true;
  return candidate.name === 'TimeoutError' || candidate.name === 'RequestTimeout';
}

/** A short, log-safe description of an AWS error. */
export function describeAwsError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'UnknownError', message: String(error) };
}

/** Error names endpoints use for an API action they do not implement (fauxqs, LocalStack, older regions). */
const UNSUPPORTED_OPERATION_NAMES = new Set([
  'InvalidAction',
  'UnknownOperationException',
  'UnsupportedOperation',
  'NotImplemented',
  'InternalFailure.NotImplemented',
]);

/** The endpoint does not implement the action at all (as opposed to refusing this request). */
export function isUnsupportedOperationError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return (
    (typeof candidate.name === 'string' && UNSUPPORTED_OPERATION_NAMES.has(candidate.name)) ||
    candidate.$metadata?.httpStatusCode === 501
  );
}

/** SQS says the queue does not exist (or the caller may not see it, which SQS reports the same way). */
export function isQueueDoesNotExistError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return (
    name === 'QueueDoesNotExist' ||
    name === 'AWS.SimpleQueueService.NonExistentQueue' ||
    name === 'NonExistentQueue'
  );
}
