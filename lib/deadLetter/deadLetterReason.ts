import type { DeadLetterConfig } from '../config/batchConfig.js';
import { AttemptsExhaustedError, MalformedRecordError, MessageExpiredError } from '../errors.js';
import type { DeadLetterReason, RecordOutcome } from '../types.js';

/**
 * Why a record should go to the DLQ now, if it should: it failed (not merely skipped) and its error is
 * permanent, it is past the max age, or this delivery was its `maxAttempts`-th failed attempt. Only
 * attempts count: a record held back, released or waiting behind another is never dead-lettered by count.
 */
export function deadLetterReason(
  outcome: RecordOutcome,
  config: DeadLetterConfig,
): DeadLetterReason | undefined {
  if (outcome.status !== 'failed') return undefined;
  // Without a body there is nothing to copy: it stays, and the queue's redrive policy decides.
  if (outcome.error instanceof MalformedRecordError) return undefined;
  if (outcome.error instanceof MessageExpiredError) return 'max-age-exceeded';
  if (outcome.error instanceof AttemptsExhaustedError) return 'max-attempts-reached';
  if (outcome.permanent) return 'permanent-error';
  if (config.maxAttempts !== undefined && outcome.calls > 0 && outcome.attempts >= config.maxAttempts)
    return 'max-attempts-reached';
  return undefined;
}
