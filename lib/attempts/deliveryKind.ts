import {
  DependencyUnavailableError,
  DuplicateInProgressError,
  FifoSkippedError,
  RedeliveryNotDueError,
} from '../errors.js';
import type { RecordOutcome } from '../types.js';
import type { NotAttemptedReason } from './attemptHistory.js';

/**
 * What this delivery was for the record's count: an attempt (the handler ran and the record ended
 * failed), a receive that was not one and why, or neither (a success, or a record that goes to the DLQ
 * without running: undecodable, too old, out of attempts).
 */
export function deliveryKind(outcome: RecordOutcome): 'attempt' | NotAttemptedReason | undefined {
  const { status, error } = outcome;
  if (status === 'failed') {
    if (outcome.calls > 0) return 'attempt';
    if (error instanceof DependencyUnavailableError) return 'held';
    if (error instanceof DuplicateInProgressError) return 'duplicate';
    return undefined;
  }
  if (status !== 'skipped') return undefined;
  if (error instanceof FifoSkippedError) return 'skipped';
  if (error instanceof RedeliveryNotDueError) return 'deferred';
  return 'released';
}
