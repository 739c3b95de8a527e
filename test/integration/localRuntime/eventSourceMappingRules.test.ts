import { join } from 'node:path';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchTurn } from '../../../local/eventSourceMapping/localEventSourceMapping.js';
import type { LocalRuntime } from '../../../local/localRuntime.js';
import { FIXTURE_FUNCTIONS, startRuntime, synthesizeFixtureApp } from '../../helpers/localRuntimeHarness.js';

/**
 * Every rule of docs/aws-semantics.md#report-batch-item-failures, put to the emulated event source mapping:
 * a scripted consumer returns each kind of result and the test checks which messages the server deleted.
 */
let runtime: LocalRuntime;
let cleanup: () => void;
const turns: ((turn: BatchTurn) => void)[] = [];

beforeAll(async () => {
  const fixture = synthesizeFixtureApp((stack) => {
    const queue = new sqs.Queue(stack, 'Work', { visibilityTimeout: Duration.seconds(2) });
    const fn = new lambda.Function(stack, 'Responder', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(FIXTURE_FUNCTIONS, 'responder')),
      timeout: Duration.seconds(1),
    });
    fn.addEventSource(
      new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );
  });
  cleanup = fixture.cleanup;
  runtime = await startRuntime(fixture.assemblyDirectory, { onTurn: (turn) => turns.shift()?.(turn) });
});

afterAll(async () => {
  await runtime.stop();
  cleanup();
});

/** Sends a batch whose first message scripts the consumer's result, and returns the first turn on it. */
async function oneTurn(script: object, count = 3): Promise<{ turn: BatchTurn; remaining: string[] }> {
  const mapping = runtime.mappings[0];
  if (mapping === undefined) throw new Error('no mapping');
  const queue = mapping.spec.queue;
  mapping.update({ enabled: false });
  const turn = new Promise<BatchTurn>((resolve) => turns.push(resolve));
  await runtime.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: Array.from({ length: count }, (_, index) => ({
        Id: String(index),
        MessageBody: index === 0 ? JSON.stringify(script) : JSON.stringify({ filler: index }),
      })),
    }),
  );
  mapping.update({ enabled: true });
  const taken = await turn;
  mapping.update({ enabled: false });
  const state = runtime.server.inspectQueue(queue.name);
  const remaining = [
    ...(state?.messages.ready ?? []),
    ...(state?.messages.inflight ?? []).map((entry) => entry.message),
  ].map((message) => message.messageId);
  // Leave the queue empty for the next case.
  runtime.server.reset();
  return { turn: taken, remaining };
}

const ids = (turn: BatchTurn) => turn.records.map((record) => record.messageId);

describe('the emulated event source mapping (ReportBatchItemFailures)', () => {
  it.each([
    ['an empty batchItemFailures list', { respond: { batchItemFailures: [] } }],
    ['null', { respond: null }],
    ['nothing', {}],
    ['a null batchItemFailures list', { respond: { batchItemFailures: null } }],
    ['an object without batchItemFailures (unstated: a null list)', { respond: { ok: true } }],
  ])('deletes every message on %s', async (_, script) => {
    const { turn, remaining } = await oneTurn(script);
    expect(turn.verdict.kind).toBe('success');
    expect(turn.deleted).toBe(3);
    expect(remaining).toEqual([]);
  });

  it('keeps exactly the listed messages and deletes the others', async () => {
    const { turn, remaining } = await oneTurn({
      respond: { batchItemFailures: [{ itemIdentifier: '$id:1' }] },
    });
    expect(turn.deleted).toBe(2);
    expect(remaining).toEqual([ids(turn)[1]]);
  });

  it.each([
    ['an empty itemIdentifier', { respond: { batchItemFailures: [{ itemIdentifier: '' }] } }],
    ['a null itemIdentifier', { respond: { batchItemFailures: [{ itemIdentifier: null }] } }],
    ['a misspelt key', { respond: { batchItemFailures: [{ itemIdentifer: '$id:1' }] } }],
    ['an id not in the batch', { respond: { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } }],
    ['an unparsable result', { respond: 'done' }],
    ['a throw', { throw: 'consumer crashed' }],
    ['a timeout', { sleepMs: 3_000, respond: { batchItemFailures: [] } }],
  ])('deletes nothing on %s (full failure)', async (_, script) => {
    const { turn, remaining } = await oneTurn(script);
    expect(turn.verdict.kind).toBe('failure');
    expect(turn.deleted).toBe(0);
    expect(remaining.sort()).toEqual(ids(turn).sort());
  });

  it('discards a timed-out execution environment and starts a fresh one', async () => {
    const fn = [...runtime.functions.values()][0];
    const before = { timeouts: fn?.stats.timeouts ?? 0, coldStarts: fn?.stats.coldStarts ?? 0 };
    await oneTurn({ sleepMs: 3_000 });
    await oneTurn({ respond: null });
    expect(fn?.stats.timeouts).toBe(before.timeouts + 1);
    expect(fn?.stats.coldStarts).toBeGreaterThan(before.coldStarts);
  });

  it('redelivers the messages of a failed batch after the visibility timeout, with a higher receive count', async () => {
    const mapping = runtime.mappings[0];
    if (mapping === undefined) throw new Error('no mapping');
    const first = new Promise<BatchTurn>((resolve) => turns.push(resolve));
    const second = new Promise<BatchTurn>((resolve) => turns.push(resolve));
    await runtime.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: mapping.spec.queue.url,
        Entries: [{ Id: '0', MessageBody: JSON.stringify({ throw: 'again' }) }],
      }),
    );
    mapping.update({ enabled: true });
    const [failed, redelivered] = [await first, await second];
    mapping.update({ enabled: false });
    runtime.server.reset();
    expect(redelivered.records[0]?.messageId).toBe(failed.records[0]?.messageId);
    expect(Number(redelivered.records[0]?.attributes.ApproximateReceiveCount)).toBe(2);
  });
});
