import { describe, expect, it } from 'vitest';
import { createBatchProcessor, type OutcomeStage } from '../../../lib/index.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

describe('outcome stages', () => {
  it('run in order after processing, with the queue and every final outcome', async () => {
    const seen: string[] = [];
    const stage = (name: string): OutcomeStage => ({
      name,
      run(outcomes, batch) {
        seen.push(`${name}:${batch.queue.name}:${outcomes.map((outcome) => outcome.status).join(',')}`);
      },
    });
    const processor = createBatchProcessor(() => 'ok', { stages: [stage('first'), stage('second')] });
    await processor(sqsEvent([{}, {}]));
    expect(seen).toEqual(['first:orders:succeeded,succeeded', 'second:orders:succeeded,succeeded']);
  });

  it('a stage that throws is logged and the response still reports every failure', async () => {
    const logger = recordingLogger();
    const broken: OutcomeStage = {
      name: 'broken',
      run() {
        throw new Error('stage bug');
      },
    };
    const processor = createBatchProcessor(
      () => {
        throw new Error('no');
      },
      { retry: false, logger, stages: [broken] },
    );
    const result = await processor(sqsEvent([{}]));
    expect(result.response.batchItemFailures).toHaveLength(1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/Stage broken failed/) }),
    );
  });
});
