import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletedIds } from '../../../local/eventSourceMapping/interpretBatchResponse.js';
import type { BatchTurn } from '../../../local/eventSourceMapping/localEventSourceMapping.js';
import type { LocalRuntime } from '../../../local/localRuntime.js';
import { startRuntime, synthesizeExampleApp } from '../../helpers/localRuntimeHarness.js';

/**
 * docs/aws-semantics.md#fifo-order-after-a-failure, end to end: the example app synthesized as a FIFO
 * consumer, the real worker bundle, the emulated mapping. A failure in the middle of a group must not let a
 * later message of that group through before it.
 */
let runtime: LocalRuntime;
const completed: string[] = [];
const failedOnce = new Set<string>();

beforeAll(async () => {
  const assembly = await synthesizeExampleApp({ 'sqs-failsafe:fifo': 'true' });
  runtime = await startRuntime(assembly, {
    defaultConcurrency: 2,
    onTurn: (turn: BatchTurn) => {
      const done = new Set(
        deletedIds(
          turn.verdict,
          turn.records.map((record) => record.messageId),
        ),
      );
      for (const record of turn.records) {
        const { taskId } = JSON.parse(record.body) as { taskId: string };
        if (done.has(record.messageId)) completed.push(taskId);
        else failedOnce.add(taskId);
      }
    },
  });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('FIFO through the emulated mapping with the worker', () => {
  it('completes each group in order even when a message in the middle fails first', async () => {
    // Prepare: a2 fails its first receive; everything else succeeds.
    const queue = runtime.mappings[0]?.spec.queue;
    if (queue === undefined) throw new Error('no FIFO mapping');
    const message = (taskId: string, group: string, fault?: string) => ({
      Id: taskId,
      MessageBody: JSON.stringify({ taskId, kind: 'ledger' }),
      MessageGroupId: group,
      MessageDeduplicationId: taskId,
      ...(fault === undefined
        ? {}
        : { MessageAttributes: { fault: { DataType: 'String', StringValue: fault } } }),
    });
    // Act
    await runtime.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          message('a1', 'A'),
          message('a2', 'A', 'transient:1'),
          message('a3', 'A'),
          message('b1', 'B'),
          message('b2', 'B'),
        ],
      }),
    );
    const deadline = Date.now() + 30_000;
    while (completed.length < 5 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    // Assess
    expect(new Set(completed)).toEqual(new Set(['a1', 'a2', 'a3', 'b1', 'b2']));
    expect(failedOnce.has('a2')).toBe(true);
    const order = (taskIds: string[]) => completed.filter((taskId) => taskIds.includes(taskId));
    expect(order(['a1', 'a2', 'a3'])).toEqual(['a1', 'a2', 'a3']);
    expect(order(['b1', 'b2'])).toEqual(['b1', 'b2']);
  });
});
