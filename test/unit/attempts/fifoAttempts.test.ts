import { describe, expect, it, vi } from 'vitest';
import { safetyNetMaxReceiveCount } from '../../../lib/attempts/receiveCountSafetyNet.js';
import { readFailureMetadata } from '../../../lib/events/index.js';
import { createBatchProcessor, type FifoMode, PermanentError } from '../../../lib/index.js';
import { useFrozenDate, useLedgerTable } from '../../helpers/attemptHistories.js';
import { QueueSimulator, type SimulatedQueue } from '../../helpers/queueSimulator.js';

/**
 * Issue 12, FIFO: a group of 50 behind a head that always fails. SQS counts a receive for every message
 * handed out, so the 49 behind the head gain receives in step with it; only the head's own attempts may
 * send it to the DLQ, and the rest must be processed, in order, with nothing dead-lettered unprocessed.
 * Run with several messages of the group per receive (as AWS hands them out) and with one (as the
 * embedded server does), in both FIFO modes, batch size 10, against the attempt ledger on dynalite.
 */
const MAX_ATTEMPTS = 3;
const BATCH_SIZE = 10;
const GROUP_SIZE = 50;
const MAX_RECEIVE_COUNT = safetyNetMaxReceiveCount({
  maxAttempts: MAX_ATTEMPTS,
  fifo: true,
  batchSize: BATCH_SIZE,
  redelivery: 'copy',
});

const ledger = useLedgerTable('fifo-ledger');
useFrozenDate('2026-11-24T20:00:00Z');

type Head = 'transient' | 'permanent';

interface Run {
  readonly processed: number[];
  readonly dlq: SimulatedQueue;
  readonly source: SimulatedQueue;
  readonly handlerCalls: Map<number, number>;
}

async function runGroup(heads: readonly Head[], fifoMode: FifoMode, perGroup: number): Promise<Run> {
  const simulator = new QueueSimulator();
  const dlq = simulator.createQueue('orders-dlq', { fifo: true, visibilityTimeoutSeconds: 30 });
  const source = simulator.createQueue(
    `orders-${fifoMode}-${perGroup}-${heads.join('-')}`,
    { fifo: true, visibilityTimeoutSeconds: 30, maxReceiveCount: MAX_RECEIVE_COUNT },
    dlq,
  );
  for (let n = 1; n <= GROUP_SIZE; n += 1) source.send(JSON.stringify({ n }), { groupId: 'K' });

  const processed: number[] = [];
  const handlerCalls = new Map<number, number>();
  const processor = createBatchProcessor(
    (message: unknown) => {
      const { n } = message as { n: number };
      handlerCalls.set(n, (handlerCalls.get(n) ?? 0) + 1);
      const head = heads[n - 1];
      if (head === 'permanent') throw new PermanentError(`message ${n} is rejected`);
      if (head === 'transient') throw new Error(`downstream refused message ${n}`);
      processed.push(n);
    },
    {
      retry: false,
      fifoMode,
      configFromEnvironment: false,
      metrics: false,
      redeliveryBackoff: { scheduleSeconds: [5, 10] },
      deadLetter: { queueUrl: dlq.url, maxAttempts: MAX_ATTEMPTS },
      attemptLedger: { tableName: ledger.tableName },
      aws: { sqs: simulator.client, dynamodb: ledger.dynamoDb.client },
    },
  );
  for (let turn = 0; turn < 1_000 && source.messages.length > 0; turn += 1) {
    const polled = await simulator.poll(source, processor, { batchSize: BATCH_SIZE, perGroup });
    if (polled.length === 0) vi.setSystemTime(Date.now() + 1_000);
  }
  return { processed, dlq, source, handlerCalls };
}

const cases = [
  { heads: ['transient'] as Head[], deadLettered: 1 },
  { heads: ['permanent'] as Head[], deadLettered: 1 },
  { heads: ['transient', 'transient'] as Head[], deadLettered: 2 },
];

describe.each([
  ['stop-on-first-failure', 10],
  ['skip-failed-group', 10],
  ['stop-on-first-failure', 1],
] as const)('FIFO group of 50, %s, %i of the group per receive', (fifoMode, perGroup) => {
  it.each(cases)(
    'behind heads $heads: the heads are dead-lettered by their own attempts, the rest processed in order',
    async ({ heads, deadLettered }) => {
      const { processed, dlq, source, handlerCalls } = await runGroup(heads, fifoMode, perGroup);

      // Every message behind the failing heads is processed, once, in the order it was sent.
      const expected = Array.from(
        { length: GROUP_SIZE - deadLettered },
        (_, index) => index + 1 + deadLettered,
      );
      expect(processed).toEqual(expected);
      expect(source.messages).toHaveLength(0);
      expect(source.movedByPolicy).toEqual([]);

      // Exactly the heads reach the DLQ, each after exactly its attempt limit, with its whole history.
      expect(dlq.messages.map((message) => JSON.parse(message.body).n)).toEqual(
        heads.map((_, index) => index + 1),
      );
      for (const [index, message] of dlq.messages.entries()) {
        const metadata = readFailureMetadata(message.attributes);
        const permanent = heads[index] === 'permanent';
        const attempts = permanent ? 1 : MAX_ATTEMPTS;
        expect(handlerCalls.get(index + 1)).toBe(attempts);
        expect(metadata).toMatchObject({
          reason: permanent ? 'permanent-error' : 'max-attempts-reached',
          attempts,
          errorClass: permanent ? 'PermanentError' : 'Error',
        });
        expect(metadata?.history?.attempts).toBe(attempts);
        expect(metadata?.history?.entries).toHaveLength(attempts);
        expect(
          metadata?.history?.entries.every((entry) => entry.calls === 1 && entry.invocation !== ''),
        ).toBe(true);
        // The second head waited behind the first: receives, none of them attempts.
        if (index === 1 && perGroup > 1) expect(metadata?.history?.notAttempted.skipped).toBe(MAX_ATTEMPTS);
      }
    },
  );
});
