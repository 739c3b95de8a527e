import type { DeadLetterConfig } from '../config/batchConfig.js';
import { MessageExpiredError, ReceiveLimitExceededError } from '../errors.js';
import type { DeadLetterReason, RecordOutcome } from '../types.js';

/**
 * Why a record should go to the DLQ now, if it should: it failed (not merely skipped) and its error is
 * permanent, it is past the max age, or it failed on its last allowed receive.
 */
export function deadLetterReason(
  outcome: RecordOutcome,
  config: DeadLetterConfig,
): DeadLetterReason | undefined {
  if (outcome.status !== 'failed') return undefined;
  if (outcome.error instanceof MessageExpiredError) return 'max-age-exceeded';
  if (outcome.error instanceof ReceiveLimitExceededError) return 'max-receives-reached';
  if (outcome.permanent) return 'permanent-error';
  const receiveCount = Number(outcome.record.attributes.ApproximateReceiveCount);
  if (config.maxReceiveCount !== undefined && receiveCount >= config.maxReceiveCount)
    return 'max-receives-reached';
  return undefined;
}
