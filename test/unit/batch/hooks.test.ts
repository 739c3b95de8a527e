import { describe, expect, it } from 'vitest';
import { createBatchProcessor, type RecordOutcome } from '../../../lib/index.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

describe('hooks', () => {
  it('calls onSuccess and onFailure once per record with its final outcome', async () => {
    const seen: [string, RecordOutcome['status']][] = [];
    const processor = createBatchProcessor(
      (message: unknown) => {
        if ((message as { fail: boolean }).fail) throw new Error('no');
      },
      {
        retry: false,
        hooks: {
          onSuccess: (outcome) => void seen.push(['success', outcome.status]),
          onFailure: (outcome) => void seen.push(['failure', outcome.status]),
        },
      },
    );
    await processor(sqsEvent([{ fail: false }, { fail: true }]));
    expect(seen.sort()).toEqual([
      ['failure', 'failed'],
      ['success', 'succeeded'],
    ]);
  });

  it.each([
    [
      'a sync hook that throws',
      () => {
        throw new Error('hook bug');
      },
    ],
    [
      'an async hook that rejects',
      async () => {
        throw new Error('hook bug');
      },
    ],
  ])('%s changes nothing about the message and is logged', async (_, hook) => {
    const logger = recordingLogger();
    const processor = createBatchProcessor(() => 'done', { logger, hooks: { onSuccess: hook } });
    const result = await processor(sqsEvent([{}]));
    expect(result.outcomes[0]?.status).toBe('succeeded');
    expect(result.response.batchItemFailures).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: "Hook onSuccess failed; the message's outcome is unchanged",
      }),
    );
  });

  it('a throwing onFailure hook does not turn a failure into a deletion', async () => {
    const processor = createBatchProcessor(
      () => {
        throw new Error('no');
      },
      {
        retry: false,
        logger: recordingLogger(),
        hooks: {
          onFailure: () => {
            throw new Error('hook bug');
          },
        },
      },
    );
    const result = await processor(sqsEvent([{}]));
    expect(result.response.batchItemFailures).toHaveLength(1);
  });

  it('awaits async hooks before returning', async () => {
    const finished: string[] = [];
    const processor = createBatchProcessor(() => 'ok', {
      hooks: {
        onSuccess: async (outcome) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          finished.push(outcome.record.messageId);
        },
      },
    });
    const result = await processor(sqsEvent([{}, {}]));
    expect(finished).toHaveLength(2);
    expect(result.outcomes).toHaveLength(2);
  });
});
