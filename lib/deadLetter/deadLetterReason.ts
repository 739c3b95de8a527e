import type { DeadLetterConfig } from '../config/batchConfig.js';
import { MalformedRecordError, MessageExpiredError, ReceiveLimitExceededError } from '../errors.js';
import { receiveCountOf } from '../event/recordAttributes.js';
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
  // Without a body there is nothing to copy: it stays, and the queue's redrive policy decides.
  if (outcome.error instanceof MalformedRecordError) return undefined;
  if (outcome.error instanceof MessageExpiredError) return 'max-age-exceeded';
  if (outcome.error instanceof ReceiveLimitExceededError) return 'max-receives-reached';
  if (outcome.permanent) return 'permanent-error';
  // An unusable receive count is missing: the count rule cannot apply (the queue's redrive policy still does).
  const receiveCount = receiveCountOf(outcome.record);
  if (
    config.maxReceiveCount !== undefined &&
    receiveCount !== undefined &&
    receiveCount >= config.maxReceiveCount
  )
    return 'max-receives-reached';
  return undefined;
}
