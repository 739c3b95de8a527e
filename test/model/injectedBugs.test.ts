import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { deleteMessages } from '../../lib/aws/sqsBatchApi.js';
import type { AwsClients } from '../../lib/index.js';
import { modelProperty } from './runModel.js';
import type { ConsumerHandler } from './world.js';

/**
 * The model-based tests bite: each deliberately injected bug is found within 1,000 runs (docs/testing.md,
 * "Injected bugs" lists the runs each took). The bugs live only here: module mocks that delegate to the
 * real modules unless the switch names their bug, and a wrapper around the deployed handler. Nothing of
 * this ships, and with the switch off the runtime is the real one.
 */
const injected = vi.hoisted(() => ({ bug: undefined as string | undefined }));

vi.mock('../../lib/batch/outcome.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/batch/outcome.js')>();
  return {
    ...original,
    // "Count a skipped record as an attempt": a record never started is settled as a failed handler call.
    settleSkipped: (...args: Parameters<typeof original.settleSkipped>) => {
      if (injected.bug !== 'count-skipped-as-attempt') return original.settleSkipped(...args);
      args[0].calls = 1;
      return original.settleFailed(args[0], args[1], false, args[2]);
    },
  };
});

vi.mock('../../lib/aws/batchResponse.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/aws/batchResponse.js')>();
  return {
    ...original,
    // "Ignore Failed[] entries": every entry of a batch answer is taken as done.
    readBatchResponse: (...args: Parameters<typeof original.readBatchResponse>) => {
      const answer = original.readBatchResponse(...args);
      if (injected.bug !== 'ignore-failed-entries') return answer;
      return {
        successful: [
          ...answer.successful,
          ...answer.failed.map(({ id }) => ({
            id,
            value: args[1]({ Id: id, MessageId: `ignored-${id}` } as never),
          })),
        ],
        failed: [],
      };
    },
  };
});

vi.mock('../../lib/aws/snsBatchApi.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/aws/snsBatchApi.js')>();
  return {
    ...original,
    // "Publish without a deadline": the outcome events are retried until SNS takes them (each request
    // still ends after the 5 s attempt timeout; twelve of them outlast the 30 s function).
    publishNotifications: (...args: Parameters<typeof original.publishNotifications>) => {
      const [topicArn, notifications, policy, client, stats] = args;
      return original.publishNotifications(
        topicArn,
        notifications,
        injected.bug === 'publish-without-deadline'
          ? { ...policy, deadline: Number.POSITIVE_INFINITY, maxAttempts: 12 }
          : policy,
        client,
        stats,
      );
    },
  };
});

vi.mock('../../lib/batch/runStages.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/batch/runStages.js')>();
  return {
    ...original,
    // With "publish without a deadline", the stages are no longer left behind at the hard deadline either
    // (each is awaited to its end): the runtime as it was before issue 13, whose bound is two-layered.
    runStages: async (...args: Parameters<typeof original.runStages>) => {
      const [stages, outcomes, batch] = args;
      if (injected.bug !== 'publish-without-deadline') return original.runStages(...args);
      for (const stage of stages) {
        try {
          await stage.run(outcomes, batch);
        } catch {
          // A stage that throws keeps the outcomes as they are, as the real loop does.
        }
      }
    },
  };
});

vi.mock('../../lib/batch/runRecords.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/batch/runRecords.js')>();
  return {
    ...original,
    // "Reorder a FIFO group": a FIFO batch is processed last record first.
    runRecords: (...args: Parameters<typeof original.runRecords>) => {
      const [outcomes, fifo, run] = args;
      return original.runRecords(
        injected.bug === 'reorder-fifo-group' && fifo ? [...outcomes].reverse() : outcomes,
        fifo,
        run,
      );
    },
  };
});

/** "Delete before processing": the handler deletes its batch from the queue before it runs it. */
function deleteBeforeProcessing(handler: ConsumerHandler, aws: AwsClients): ConsumerHandler {
  return async (event, context) => {
    const records = (event as { Records: { receiptHandle: string; eventSourceARN: string }[] }).Records;
    const [, , , region, account, name] = (records[0]?.eventSourceARN ?? '').split(':');
    await deleteMessages(
      `https://sqs.${region}.amazonaws.com/${account}/${name}`,
      records.map((record) => record.receiptHandle),
      { deadline: Number.POSITIVE_INFINITY },
      aws.sqs,
    );
    return handler(event, context);
  };
}

const BUGS: readonly { readonly bug: string; readonly invariant: string }[] = [
  { bug: 'delete-before-processing', invariant: 'deleted-with-reason' },
  { bug: 'count-skipped-as-attempt', invariant: 'attempts-before-dead-letter' },
  { bug: 'ignore-failed-entries', invariant: 'deleted-with-reason' },
  { bug: 'publish-without-deadline', invariant: 'returns-before-timeout' },
  { bug: 'reorder-fifo-group', invariant: 'fifo-order' },
];

/** The seed the counts in docs/testing.md were measured with. */
const SEED = 20_261_124;

describe('injected bugs are found within 1,000 runs', () => {
  for (const { bug, invariant } of BUGS.filter(
    ({ bug }) => process.env.MODEL_BUG === undefined || bug === process.env.MODEL_BUG,
  )) {
    it(`${bug} breaks ${invariant}`, async () => {
      injected.bug = bug;
      try {
        const options = bug === 'delete-before-processing' ? { wrapConsumer: deleteBeforeProcessing } : {};
        const details = await fc.check(modelProperty(options), {
          numRuns: 1_000,
          seed: SEED,
        });
        const error = details.errorInstance as Error | undefined;
        console.log(
          `Injected bug ${bug}: found after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s): ` +
            `${String(error?.message ?? '')
              .split('\n')[1]
              ?.trim()}\n  ${fc.stringify(details.counterexample)}`,
        );
        expect(details.failed).toBe(true);
        expect(details.numRuns).toBeLessThanOrEqual(1_000);
        expect(error?.message).toContain(`[${invariant}]`);
      } finally {
        injected.bug = undefined;
      }
    });
  }
});
