import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRun, type RunFigures } from '../../../bench/failureCost/accountRun.js';
import { runScenario } from '../../../bench/failureCost/runScenario.js';
import type { Scenario } from '../../../bench/failureCost/scenarios.js';
import { synthesizeStacks } from '../../../bench/failureCost/stacks/synthesizeStacks.js';

/**
 * The failure-cost suite end to end on a tiny scenario whose counts are known in advance: 30 messages, two
 * poison, two failing their first downstream call and one its first two. What the suite counts (deliveries,
 * dead letters, calls by caller) must be exactly what SQS and Lambda do with them, so the benchmark's tables
 * cannot drift from the runs they describe.
 */
const POISON = new Set([3, 17]);
const FAIL_CALLS = new Map([
  [5, 1],
  [9, 1],
  [12, 2],
]);
const known: Scenario = {
  id: 'known',
  title: 'known counts',
  plan: (count) =>
    Array.from({ length: count }, (_, index) => ({
      taskId: `task-${index}`,
      poison: POISON.has(index),
      failCalls: FAIL_CALLS.get(index) ?? 0,
    })),
};
// 180 s of visibility timeout is 4 s here: room for a cold start on a busy machine, which must end before it.
const TIME_SCALE = 45;

let directory = '';
let assemblies: Map<string, string>;

const run = async (contender: 'sqs-failsafe' | 'powertools') => {
  const record = await runScenario({
    contender,
    assemblyDirectory: assemblies.get(contender) as string,
    scenario: known,
    messages: 30,
    seed: 1,
    timeScale: TIME_SCALE,
    trafficMinutes: 3,
    quietMinutes: 3,
    maxMinutes: 90,
    downstreamLatencyMs: 0,
    awsCallLatencyMs: 0,
    write: () => {},
  });
  const deliveries = (taskId: string) => record.traces.get(taskId)?.deliveries.length;
  return { record, figures: accountRun(record), deliveries };
};

const callsOf = (figures: RunFigures, caller: string, operation: string) =>
  figures.callsByAction.find(
    (call) => call.caller === caller && `${call.service}:${call.action}` === operation,
  );

describe('failure-cost suite on a run with known counts', () => {
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'sqs-failsafe-failure-cost-'));
    assemblies = synthesizeStacks(directory, {
      timeScale: TIME_SCALE,
      contenders: ['sqs-failsafe', 'powertools'],
    });
  }, 120_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('Powertools with AWS’s setup: 5 receives per poison message, one per failure, all counted', {
    timeout: 120_000,
  }, async () => {
    // Act
    const { record, figures, deliveries } = await run('powertools');

    // Assess
    expect(record.settled).toBe(true);
    expect(deliveries('task-3')).toBe(5);
    expect(deliveries('task-5')).toBe(2);
    expect(deliveries('task-12')).toBe(3);
    expect([...record.traces.values()].reduce((sum, trace) => sum + trace.deliveries.length, 0)).toBe(
      30 + 2 * 4 + 1 + 1 + 2,
    );
    expect(figures.poison).toEqual({
      count: 2,
      receivesBeforeDeadLetter: { mean: 5, max: 5 },
      receivesInRun: 5,
      neverDeadLettered: 0,
    });
    expect(figures.healthyDeadLettered).toBe(0);
    expect(figures.healthyUnfinished).toBe(0);
    expect(figures.failedAtLeastOnce).toBe(3);
    // One visibility timeout (6 × 30 s) per failure, in AWS time. Waits run from the first handler start,
    // which lags the receive that started the visibility timeout by the invocation's set-up: on a loaded
    // machine 20 ms, × TIME_SCALE a second of AWS time; a lag allowance of 5 s per wait stays far above the
    // seconds sqs-failsafe's own waits take (below).
    expect(figures.timeToSuccess?.p50).toBeGreaterThanOrEqual(180 - 5);
    expect(figures.timeToSuccess?.p50).toBeLessThan(300);
    expect(figures.timeToSuccess?.p99).toBeGreaterThanOrEqual(360 - 5);
    expect(figures.timeToSuccess?.p99).toBeLessThan(540);
    expect(callsOf(figures, 'producer', 'sqs:SendMessageBatch')).toMatchObject({ calls: 3, entries: 30 });
    expect(callsOf(figures, 'event-source-mapping', 'sqs:DeleteMessageBatch')?.entries).toBe(28);
    expect(figures.callsByAction.filter((call) => call.caller === 'functions')).toEqual([]);
    expect(figures.invocations.other).toBe(0);
    expect(figures.gbSeconds).toBeGreaterThan(0);
  });

  it('sqs-failsafe with its defaults: poison dead-lettered on its first receive, failures healed in the invocation', {
    timeout: 120_000,
  }, async () => {
    // Act
    const { record, figures, deliveries } = await run('sqs-failsafe');

    // Assess
    expect(record.settled).toBe(true);
    expect(figures.poison.receivesBeforeDeadLetter).toEqual({ mean: 1, max: 1 });
    expect(deliveries('task-5')).toBe(1);
    expect(deliveries('task-12')).toBe(1);
    expect(figures.failedAtLeastOnce).toBe(3);
    expect(figures.timeToSuccess?.p99).toBeLessThan(10);
    expect(figures.healthyDeadLettered).toBe(0);
    expect(callsOf(figures, 'functions', 'sqs:SendMessageBatch')?.entries).toBeGreaterThanOrEqual(2);
    expect(callsOf(figures, 'producer', 'sqs:SendMessageBatch')).toMatchObject({ calls: 3, entries: 30 });
  });
});
