import { TimeBudgetExceededError } from '../errors.js';
import type { HookRunner } from '../hooks/hookRunner.js';
import type { RecordOutcome } from '../types.js';
import { settleFailed, settleSkipped } from './outcome.js';

/**
 * At the deadline: a record still running is failed, one never started is skipped; both are reported so
 * SQS redelivers them. Their handlers may still finish in the background, but can no longer change the
 * outcome. Returns how many records it settled.
 */
export function settleUnfinished(outcomes: readonly RecordOutcome[], hooks: HookRunner): number {
  let settled = 0;
  for (const outcome of outcomes) {
    if (outcome.status !== 'pending') continue;
    settled += 1;
    const { messageId } = outcome;
    if (outcome.calls > 0) {
      // The handler ran and did not finish in time: a failed attempt like any other.
      const error = new TimeBudgetExceededError(
        `Message ${messageId} was still being processed (call ${outcome.calls}) when the time budget ran out.`,
        { messageId, calls: outcome.calls },
      );
      settleFailed(outcome, error, false, hooks);
    } else {
      const error = new TimeBudgetExceededError(
        `Message ${messageId} was not started before the time budget ran out.`,
        { messageId },
      );
      settleSkipped(outcome, error, hooks);
    }
  }
  return settled;
}
