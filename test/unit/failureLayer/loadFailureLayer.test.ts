import { beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptBatchCalls } from '../../../bench/support/acceptBatchCalls.js';
import { copyRecord, historyWith } from '../../helpers/attemptHistories.js';
import { DLQ_URL, TOPIC_ARN, useAwsMocks } from '../../helpers/awsMocks.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Issue 16: the failure paths are one lazy chunk (lib/failureLayer), loaded by the first batch that needs
 * them, once per container. Each test imports the runtime afresh (a new container: the set-up loaded the
 * layer into the modules other tests use), on real timers, so the load really happens in the batch.
 */
const { sqs, sns } = useAwsMocks();

/** A new container: the runtime's modules evaluated again, the failure layer not loaded. */
async function container() {
  vi.resetModules();
  const { createBatchProcessor, PermanentError } = await import('../../../lib/index.js');
  const { loadedFailureLayer } = await import('../../../lib/failureLayer/loadFailureLayer.js');
  const logger = recordingLogger();
  // The configuration FailsafeConsumer deploys a worker with, and attempts counted.
  const processor = createBatchProcessor(
    async (message: unknown, { attempt }) => {
      if ((message as { kind: string }).kind === 'poison') throw new PermanentError('order rejected');
      return attempt;
    },
    {
      logger,
      configFromEnvironment: false,
      deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 },
      redeliveryBackoff: { scheduleSeconds: [10, 60, 300] },
      notifications: { topicArn: TOPIC_ARN },
    },
  );
  return { processor, loadedFailureLayer, logger };
}

describe('the failure layer, loaded when a batch needs it', () => {
  beforeEach(() => acceptBatchCalls(sqs, sns));

  it('is not loaded by healthy batches of first deliveries', async () => {
    const { processor, loadedFailureLayer } = await container();

    const first = await processor(eventOf([sqsRecord({ body: '{"kind":"ok"}' })]), lambdaContext());
    const second = await processor(eventOf([sqsRecord({ body: '{"kind":"ok"}' })]), lambdaContext());

    expect([...first.response.batchItemFailures, ...second.response.batchItemFailures]).toEqual([]);
    expect(loadedFailureLayer()).toBeUndefined();
    expect(sqs.calls()).toHaveLength(0);
  });

  it('is loaded by the first batch with a failure, which it dead-letters, and kept for the next ones', async () => {
    const { processor, loadedFailureLayer, logger } = await container();
    const poison = sqsRecord({ body: '{"kind":"poison"}' });

    const result = await processor(eventOf([sqsRecord({ body: '{"kind":"ok"}' }), poison]), lambdaContext());
    const layer = loadedFailureLayer();
    await processor(eventOf([sqsRecord({ body: '{"kind":"poison"}' })]), lambdaContext());

    expect(layer).toBeDefined();
    expect(loadedFailureLayer()).toBe(layer);
    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.outcomes[1]?.deadLetter).toBeDefined();
    expect(result.outcomes[1]?.history?.attempts).toBe(1);
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(2);
  });

  it('is loaded before the records run by a batch holding a redelivery copy, which counts its attempts on', async () => {
    const { processor, loadedFailureLayer } = await container();
    const copy = copyRecord(historyWith(2), { body: '{"kind":"ok"}' });

    const result = await processor(eventOf([copy]), lambdaContext());

    expect(loadedFailureLayer()).toBeDefined();
    expect(result.outcomes[0]?.result).toBe(3);
  });
});
