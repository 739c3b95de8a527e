import { HISTORY_ATTRIBUTE } from '../deadLetter/failureMetadata.js';
import { receiveCountOf } from '../event/recordAttributes.js';
import type { RecordOutcome } from '../types.js';
import type { AttemptTracking } from './attemptTracking.js';

/**
 * Whether any record of the batch has an attempt history to load before it runs (loadAttemptHistories, in
 * the failure layer): one carried in its attribute (a redelivery copy, or a producer's value to judge), one
 * in the attempt ledger (received before, with a ledger), or receives nobody reported on (received before,
 * without one). A batch of first deliveries has none, and does not load the layer.
 */
export function needsAttemptHistories(
  outcomes: readonly RecordOutcome[],
  tracking: AttemptTracking,
): boolean {
  for (const { record } of outcomes) {
    if (record.messageAttributes?.[HISTORY_ATTRIBUTE] !== undefined) return true;
    const receiveCount = receiveCountOf(record);
    if (receiveCount === 1) continue;
    // Unreadable receive counts go to the ledger read like any other; without a ledger they count nothing.
    if (tracking.ledger !== undefined || (receiveCount ?? 0) > 1) return true;
  }
  return false;
}
