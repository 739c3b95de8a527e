import { describe, expect, it } from 'vitest';
import { createBatchProcessor, type FifoMode, FifoSkippedError, type SqsRecord } from '../../../lib/index.js';
import {
  deletedIds,
  interpretBatchResponse,
} from '../../../local/eventSourceMapping/interpretBatchResponse.js';
import { eventOf, fifoRecord, ids } from '../../helpers/sqsEvents.js';

/** Builds a FIFO batch from a compact spec: `A1` is group A, succeeding; `B!` is group B, failing. */
function fifoBatch(spec: string): SqsRecord[] {
  return spec.split(' ').map((token, index) =>
    fifoRecord(token.slice(0, 1), {
      messageId: `m${index + 1}-${token}`,
      body: JSON.stringify({ fail: token.endsWith('!') }),
    }),
  );
}

async function run(spec: string, fifoMode: FifoMode) {
  const records = fifoBatch(spec);
  const calls: string[] = [];
  const processor = createBatchProcessor(
    (message: unknown, { record }) => {
      calls.push(record.messageId);
      if ((message as { fail: boolean }).fail) throw new Error('failed');
    },
    { fifoMode, retry: false, concurrency: 4 },
  );
  const result = await processor(eventOf(records));
  const reported = result.response.batchItemFailures.map((failure) => failure.itemIdentifier);
  return { records, calls, reported, result };
}

describe('FIFO (docs/aws-semantics.md#fifo-order-after-a-failure)', () => {
  it.each([
    // spec, reported failed in stop-on-first-failure mode
    ['A1 A2 A3', []],
    ['A1 A! A3', ['m2-A!', 'm3-A3']],
    ['A! B1 C1', ['m1-A!', 'm2-B1', 'm3-C1']],
    ['A1 B1 C!', ['m3-C!']],
    ['A1 B! A2 B2 C1', ['m2-B!', 'm3-A2', 'm4-B2', 'm5-C1']],
  ])(
    'stop-on-first-failure: %s reports the failed message and every message after it',
    async (spec, expected) => {
      // Act
      const { reported, calls, records } = await run(spec, 'stop-on-first-failure');
      // Assess
      expect(reported).toEqual(expected);
      const firstFailure = records.findIndex((record) => record.messageId.endsWith('!'));
      expect(calls).toEqual(ids(firstFailure === -1 ? records : records.slice(0, firstFailure + 1)));
    },
  );

  it.each([
    ['A1 A! A3 B1 B2', ['m2-A!', 'm3-A3']],
    ['A! B1 A2 B! B3 C1', ['m1-A!', 'm3-A2', 'm4-B!', 'm5-B3']],
    ['A1 B1 C1', []],
  ])(
    'skip-failed-group: %s reports the failed message and the rest of its group only',
    async (spec, expected) => {
      const { reported } = await run(spec, 'skip-failed-group');
      expect([...reported].sort()).toEqual([...expected].sort());
    },
  );

  it('processes messages of one group strictly in order', async () => {
    const records = fifoBatch('A1 A2 A3 A4 A5');
    const order: string[] = [];
    const processor = createBatchProcessor(
      async (_message: unknown, { record }) => {
        await new Promise((resolve) => setTimeout(resolve, 5 - Number(record.messageId[1])));
        order.push(record.messageId);
      },
      { fifoMode: 'skip-failed-group', concurrency: 10 },
    );
    await processor(eventOf(records));
    expect(order).toEqual(ids(records));
  });

  it('marks skipped messages with a FifoSkippedError naming the message that failed first', async () => {
    const { result } = await run('A1 A! A3', 'stop-on-first-failure');
    const skipped = result.outcomes[2];
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.error).toBeInstanceOf(FifoSkippedError);
    expect(skipped?.error?.message).toContain('m2-A!');
    expect(skipped?.calls).toBe(0);
  });

  it('never lets AWS delete a message that comes after a failure in its group', async () => {
    for (const mode of ['stop-on-first-failure', 'skip-failed-group'] as const) {
      const { records, reported } = await run('A1 B1 A! B2 A3 C1 A4', mode);
      const deleted = deletedIds(
        interpretBatchResponse(
          { batchItemFailures: reported.map((id) => ({ itemIdentifier: id })) },
          ids(records),
        ),
        ids(records),
      );
      const failedAt = records.findIndex((record) => record.messageId.endsWith('!'));
      const laterInGroupA = records
        .slice(failedAt)
        .filter((record) => record.attributes.MessageGroupId === 'A');
      for (const record of laterInGroupA) expect(deleted).not.toContain(record.messageId);
    }
  });
});
