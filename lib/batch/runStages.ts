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
 * behind does later cannot change the response, which is built when this returns. Returns nothing when
 * no stage had work in flight, so a healthy batch is not made to wait for a tick.
 */
export function runStages(
  stages: readonly OutcomeStage[],
  outcomes: readonly RecordOutcome[],
  batch: BatchContext,
  budget: TimeBudget,
): Promise<void> | undefined {
  // Stages that return nothing (every built-in one on a healthy batch) are passed synchronously.
  for (let index = 0; index < stages.length; index += 1) {
    const running = startStage(stages[index] as OutcomeStage, outcomes, batch);
    if (running !== undefined) return finishStages(running, stages, index, outcomes, batch, budget);
  }
  return undefined;
}

async function finishStages(
  first: PromiseLike<void>,
  stages: readonly OutcomeStage[],
  firstIndex: number,
  outcomes: readonly RecordOutcome[],
  batch: BatchContext,
  budget: TimeBudget,
): Promise<void> {
  await awaitStage(stages[firstIndex] as OutcomeStage, first, batch, budget);
  for (const stage of stages.slice(firstIndex + 1)) {
    const running = startStage(stage, outcomes, batch);
    if (running !== undefined) await awaitStage(stage, running, batch, budget);
  }
}

/** Calls the stage; a throw is logged like a rejection. Returns its promise when it has work in flight. */
function startStage(
  stage: OutcomeStage,
  outcomes: readonly RecordOutcome[],
  batch: BatchContext,
): PromiseLike<void> | undefined {
  try {
    const running = stage.run(outcomes, batch);
    return running === undefined ? undefined : running;
  } catch (thrown) {
    reportBroken(stage, thrown, batch);
    return undefined;
  }
}

async function awaitStage(
  stage: OutcomeStage,
  running: PromiseLike<void>,
  batch: BatchContext,
  budget: TimeBudget,
): Promise<void> {
  try {
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
    reportBroken(stage, thrown, batch);
  }
}

function reportBroken(stage: OutcomeStage, thrown: unknown, batch: BatchContext): void {
  const error = toError(thrown);
  batch.logger.error(`Stage ${stage.name} failed; outcomes keep what they hold`, {
    stage: stage.name,
    error: { name: error.name, message: error.message, stack: error.stack },
  });
}
