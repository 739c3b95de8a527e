import { toError } from '../errors.js';
import type { TimeBudget } from '../time/timeBudget.js';
import type { BatchContext, OutcomeStage, RecordOutcome } from '../types.js';

/**
 * Runs the stages in order, each bounded by the hard deadline. The built-in stages' AWS calls are cut at
 * that deadline by the AWS-call layer itself; this bound is for a stage that is not (a user's stage
 * awaiting something slow): it is left behind, so the handler still returns before the Lambda timeout.
 *
 * Outcomes only ever move towards "handled" once the work is confirmed, so a stage that breaks or is left
 * behind half-way leaves every unconfirmed record reported failed: redelivered, not lost. What a stage left
 * behind does later cannot change the response, which is built when this returns.
 */
export async function runStages(
  stages: readonly OutcomeStage[],
  outcomes: readonly RecordOutcome[],
  batch: BatchContext,
  budget: TimeBudget,
): Promise<void> {
  for (const stage of stages) {
    try {
      const running = stage.run(outcomes, batch);
      if (running === undefined) continue;
      const finished = await Promise.race([
        Promise.resolve(running).then(() => true),
        budget.hardExpired.then(() => false),
      ]);
      if (!finished) {
        batch.logger.error(
          `Stage ${stage.name} did not finish before the invocation's deadline for AWS calls; it is left ` +
            'behind and every record it had not confirmed is reported failed',
          { stage: stage.name },
        );
      }
    } catch (thrown) {
      const error = toError(thrown);
      batch.logger.error(`Stage ${stage.name} failed; outcomes keep what they hold`, {
        stage: stage.name,
        error: { name: error.name, message: error.message, stack: error.stack },
      });
    }
  }
}
