import type { RedeliveryMode } from '../config/batchConfig.js';
import type { AttemptLedger } from './attemptLedger.js';

/**
 * How a consumer keeps its attempt count, resolved once per container. Counting is on when something
 * depends on it: `deadLetter.maxAttempts`. Without it nothing is dead-lettered by count, so no message
 * needs a copy or a ledger entry, and a failed record simply stays in its queue.
 */
export interface AttemptTracking {
  readonly maxAttempts: number;
  /** How a failed attempt on a standard queue comes back (FIFO always stays in place). */
  readonly redelivery: RedeliveryMode;
  /** Where the count of a message that stays in its queue lives. */
  readonly ledger: AttemptLedger | undefined;
}
