import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../bench/failureCost/runRecord.js';
import { loadRun, saveRun } from '../../../bench/failureCost/savedRuns.js';

/**
 * A saved run stands in for a stack's run (FAILURE_COST_REUSE) only when the stack and the traffic are the
 * same: a reused run from other code or other traffic would put figures side by side that do not compare.
 */
const record: RunRecord = {
  contender: 'powertools',
  scenario: 'poison',
  timeScale: 20,
  pollWaitSeconds: 1,
  tasks: [{ taskId: 'task-1', poison: true, failCalls: 0 }],
  traces: new Map([
    [
      'task-1',
      {
        deliveries: [{ start: 1, end: 2 }],
        failedCalls: 0,
        firstSuccessAt: undefined,
        firstDeadLetteredAt: 5,
      },
    ],
  ]),
  apiCalls: [],
  functions: [],
  consumerDurationsMs: [12],
  fixed: { alarmMetrics: 0, compositeAlarms: 0, dashboards: 0, customMetrics: 0 },
  elapsedMs: 1_000,
  settled: true,
};
const identity = {
  scenario: 'poison',
  contender: 'powertools',
  messages: 1,
  seed: 16,
  timeScale: 20,
  templateSha256: 'abc',
};

let directory = '';
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sqs-failsafe-saved-runs-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('saved failure-cost runs', () => {
  it('gives back the record it saved, traces included, for the same stack and traffic', () => {
    // Prepare
    saveRun(directory, { measuredAt: '2026-12-03T20:00:00.000Z', seed: 16, templateSha256: 'abc', record });

    // Act
    const saved = loadRun(directory, identity);

    // Assess
    expect(saved.measuredAt).toBe('2026-12-03T20:00:00.000Z');
    expect(saved.record).toEqual(record);
  });

  it.each([
    ['the stack', { templateSha256: 'def' }, 'the stack (its template or code) changed'],
    ['the messages', { messages: 2 }, 'messages 1'],
    ['the seed', { seed: 17 }, 'seed 16'],
    ['the time scale', { timeScale: 60 }, 'time scale 20'],
  ])('refuses a run whose %s differs, saying what differs', (_, change, says) => {
    // Prepare
    saveRun(directory, { measuredAt: '2026-12-03T20:00:00.000Z', seed: 16, templateSha256: 'abc', record });

    // Act
    const load = () => loadRun(directory, { ...identity, ...change });

    // Assess
    expect(load).toThrow(says);
    expect(load).toThrow('run it again instead');
  });

  it('says to run a stack first when it has no saved run', () => {
    // Act
    const load = () => loadRun(directory, identity);

    // Assess
    expect(load).toThrow('powertools in the poison scenario has no saved run');
  });
});
