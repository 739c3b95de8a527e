import { describe, expect, it } from 'vitest';
import { outcomeStages } from '../../../lib/batch/builtInStages.js';
import { createOutcome, settleSucceeded } from '../../../lib/batch/outcome.js';
import { runStages } from '../../../lib/batch/runStages.js';
import { HookRunner } from '../../../lib/hooks/hookRunner.js';
import type { BatchContext } from '../../../lib/index.js';
import { TimeBudget } from '../../../lib/time/timeBudget.js';
import { DLQ_URL } from '../../helpers/awsMocks.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * On a healthy batch the built-in stages have nothing to do, and say so by returning nothing: a promise
 * would make the runner await it, racing it against a hard-deadline timer armed for that, on every batch
 * of a healthy consumer (docs/benchmarks.md, "What the benchmark changed in lib/").
 */
describe('built-in stages on a healthy batch', () => {
  it('return nothing to await: no dead letter, no delay and no event to publish', () => {
    const stages = outcomeStages(
      {
        deadLetter: { queueUrl: DLQ_URL },
        redeliveryBackoff: { scheduleSeconds: [10, 60] },
        notifications: { topicArn: 'arn:aws:sns:eu-west-1:111122223333:outcomes' },
      },
      {},
    );
    const hooks = new HookRunner({}, recordingLogger());
    const outcomes = [sqsRecord(), sqsRecord()].map((record, index) => {
      const outcome = createOutcome(record, index);
      settleSucceeded(outcome, undefined, hooks);
      return outcome;
    });
    expect(stages.map((stage) => stage.name)).toEqual(['deadLetterRouter', 'redelivery', 'outcomeNotifier']);
    for (const stage of stages) {
      expect(stage.run(outcomes, {} as BatchContext), stage.name).toBeUndefined();
    }
  });

  it('pass through the runner without an await when none has work, and in order when one has', async () => {
    const ran: string[] = [];
    const idle = (name: string) => ({
      name,
      run: () => {
        ran.push(name);
      },
    });
    const budget = TimeBudget.start({}, 1_000);
    const batch = { logger: recordingLogger() } as unknown as BatchContext;
    expect(runStages([idle('a'), idle('b')], [], batch, budget)).toBeUndefined();
    const busy = {
      name: 'busy',
      run: async () => {
        await Promise.resolve();
        ran.push('busy');
      },
    };
    const running = runStages([idle('c'), busy, idle('d')], [], batch, budget);
    expect(running).toBeInstanceOf(Promise);
    await running;
    expect(ran).toEqual(['a', 'b', 'c', 'busy', 'd']);
  });
});
