import { describe, expect, it, vi } from 'vitest';
import { safetyNetMaxReceiveCount } from '../../../lib/attempts/receiveCountSafetyNet.js';
import { readFailureMetadata } from '../../../lib/events/index.js';
import { createBatchProcessor, type RedeliveryMode, TimeBudgetExceededError } from '../../../lib/index.js';
import { useFrozenDate, useLedgerTable } from '../../helpers/attemptHistories.js';
import { QueueSimulator, type TurnEnd } from '../../helpers/queueSimulator.js';

/**
 * Issue 12, standard queues: 1,000 messages; each batch's time budget fits 7 of its 10 records, so about
 * 30% of every batch is released unstarted; 5% of the messages always fail (transiently), 5% fail their
 * first two attempts. Receives that were not attempts must never count: no message may reach the DLQ
 * with fewer than its configured attempts, and every dead letter's history must hold one entry per
 * attempt, the handler's real calls. In both redelivery modes, and with invocations killed at random
 * points, where nothing may be lost and duplicates are counted.
 */
const MESSAGES = 1_000;
const MAX_ATTEMPTS = 4;
const BATCH_SIZE = 10;
/** Each handler call takes this long (on the faked clock). */
const CALL_MS = 100;
/** The default safety margin, plus 7 calls and a little: the eighth record of a batch never starts. */
const TIMEOUT_MS = 1_000 + 7 * CALL_MS + 50;

/**
 * Each case simulates 1,000 messages through hundreds of invocations (the killed visibility case, with the
 * ledger on dynalite, takes 1-2 s alone and over 5 s on the shared 2-core machine under load).
 */
const SIMULATION_TIMEOUT_MS = 30_000;

const ledger = useLedgerTable('standard-ledger');
useFrozenDate('2026-11-24T20:00:00Z');

type Behaviour = 'ok' | 'always-failing' | 'fails-twice';

/** A deterministic behaviour per message: every 20th always fails, every 20th (offset 10) heals on its third attempt. */
const behaviourOf = (n: number): Behaviour =>
  n % 20 === 0 ? 'always-failing' : n % 20 === 10 ? 'fails-twice' : 'ok';

/** A deterministic stream of kills: about one invocation in `every`, at the call the stream picks. */
function killStream(every: number | undefined, seed = 7): () => TurnEnd {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return () => {
    if (every === undefined || next() >= 1 / every) return {};
    return next() < 0.5 ? { kill: 'before-return' } : { kill: { atCall: 1 + Math.floor(next() * 2) } };
  };
}

async function run(redelivery: RedeliveryMode, killEvery?: number) {
  const simulator = new QueueSimulator();
  const dlq = simulator.createQueue('orders-dlq', { fifo: false, visibilityTimeoutSeconds: 30 });
  const maxReceiveCount = safetyNetMaxReceiveCount({
    maxAttempts: MAX_ATTEMPTS,
    fifo: false,
    batchSize: BATCH_SIZE,
    redelivery,
  });
  const source = simulator.createQueue(
    `orders-${redelivery}-${killEvery ?? 0}`,
    { fifo: false, visibilityTimeoutSeconds: 30, maxReceiveCount },
    dlq,
  );
  for (let n = 1; n <= MESSAGES; n += 1) source.send(JSON.stringify({ n }));

  const calls = new Map<number, number>();
  const succeeded = new Map<number, number>();
  let released = 0;
  const processor = createBatchProcessor(
    (message: unknown, { attempt }) => {
      const { n } = message as { n: number };
      calls.set(n, (calls.get(n) ?? 0) + 1);
      vi.setSystemTime(Date.now() + CALL_MS);
      const behaviour = behaviourOf(n);
      if (behaviour === 'always-failing' || (behaviour === 'fails-twice' && attempt <= 2))
        throw new Error(`downstream refused message ${n}`);
      succeeded.set(n, (succeeded.get(n) ?? 0) + 1);
    },
    {
      retry: false,
      concurrency: 1,
      configFromEnvironment: false,
      metrics: false,
      redelivery,
      redeliveryBackoff: { scheduleSeconds: [2, 4, 8] },
      deadLetter: { queueUrl: dlq.url, maxAttempts: MAX_ATTEMPTS },
      ...(redelivery === 'visibility' ? { attemptLedger: { tableName: ledger.tableName } } : {}),
      hooks: {
        onFailure: (outcome) => {
          if (outcome.status === 'skipped' && outcome.error instanceof TimeBudgetExceededError) released += 1;
        },
      },
      aws: { sqs: simulator.client, dynamodb: ledger.dynamoDb.client },
    },
  );

  const endOf = killStream(killEvery);
  let turns = 0;
  for (; turns < 20_000 && source.messages.length > 0; turns += 1) {
    const polled = await simulator.poll(source, processor, {
      batchSize: BATCH_SIZE,
      timeoutMs: TIMEOUT_MS,
      end: endOf(),
    });
    if (polled.length === 0) vi.setSystemTime(Date.now() + 1_000);
  }
  return { simulator, source, dlq, calls, succeeded, released, turns };
}

/** `SQS_FAILSAFE_FIGURES=1` prints what a run did, for docs/failure-routing.md. */
function report(label: string, figures: Record<string, number>): void {
  if (process.env.SQS_FAILSAFE_FIGURES === '1') console.log(label, JSON.stringify(figures));
}

describe.each(['copy', 'visibility'] as const)(
  '1,000 messages, 3 in 10 of each batch released, redelivery %s',
  (redelivery) => {
    it(
      'dead-letters only messages whose attempts were spent, each with one history entry per attempt',
      async () => {
        const { source, dlq, calls, succeeded, released, turns, simulator } = await run(redelivery);
        report(`standard ${redelivery}`, {
          invocations: turns,
          released,
          deadLettered: dlq.messages.length,
          sqsCalls: simulator.calls.length,
          handlerCalls: [...calls.values()].reduce((sum, count) => sum + count, 0),
        });

        expect(released).toBeGreaterThan(MESSAGES * 0.25);
        expect(source.messages).toHaveLength(0);
        expect(source.movedByPolicy).toEqual([]);
        const deadLettered = dlq.messages.map((message) => ({
          n: JSON.parse(message.body).n as number,
          metadata: readFailureMetadata(message.attributes),
        }));
        // Exactly the always-failing 5%, each after exactly MAX_ATTEMPTS attempts, which the history lists.
        expect(deadLettered.map(({ n }) => n).sort((a, b) => a - b)).toEqual(
          Array.from({ length: MESSAGES / 20 }, (_, index) => (index + 1) * 20),
        );
        const fewerThanConfigured = deadLettered.filter(
          ({ metadata }) => (metadata?.attempts ?? 0) < MAX_ATTEMPTS,
        );
        expect(fewerThanConfigured).toEqual([]);
        for (const { n, metadata } of deadLettered) {
          expect(metadata?.reason).toBe('max-attempts-reached');
          expect(metadata?.history?.entries).toHaveLength(metadata?.attempts ?? -1);
          expect(calls.get(n)).toBe(MAX_ATTEMPTS);
        }
        // Everything else succeeded exactly once; the healing ones on their third attempt.
        expect(succeeded.size).toBe(MESSAGES - MESSAGES / 20);
        expect([...succeeded.values()].every((count) => count === 1)).toBe(true);
        expect(calls.get(10)).toBe(3);
      },
      SIMULATION_TIMEOUT_MS,
    );
  },
);

describe.each(['copy', 'visibility'] as const)(
  'invocations killed at random points, redelivery %s',
  (redelivery) => {
    it(
      'loses nothing, never dead-letters early, and counts the duplicates',
      async () => {
        const { source, dlq, succeeded, simulator, turns } = await run(redelivery, 10);
        report(`killed ${redelivery}`, {
          invocations: turns,
          deadLettered: dlq.messages.length,
          movedByPolicy: source.movedByPolicy.length,
          duplicates: [...succeeded.values()].reduce((sum, count) => sum + count - 1, 0),
          sqsCalls: simulator.calls.length,
        });

        expect(source.messages).toHaveLength(0);
        const deadLettered = new Set(dlq.messages.map((message) => JSON.parse(message.body).n as number));
        const lost = Array.from({ length: MESSAGES }, (_, index) => index + 1).filter(
          (n) => !succeeded.has(n) && !deadLettered.has(n),
        );
        expect(lost).toEqual([]);
        // Only the always-failing ones, or ones a crash loop pushed past the safety net, reach the DLQ.
        const early = dlq.messages.filter((message) => {
          const metadata = readFailureMetadata(message.attributes);
          return metadata !== undefined && metadata.attempts < MAX_ATTEMPTS;
        });
        expect(early).toEqual([]);
        for (const n of deadLettered)
          expect(behaviourOf(n) === 'always-failing' || source.movedByPolicy.length > 0).toBe(true);
        const duplicates = [...succeeded.values()].reduce((sum, count) => sum + count - 1, 0);
        expect(duplicates).toBeGreaterThanOrEqual(0);
        expect(simulator.calls.length).toBeGreaterThan(0);
      },
      SIMULATION_TIMEOUT_MS,
    );
  },
);
