import { describe, expect, it } from 'vitest';
import { accountRun } from '../../../bench/failureCost/accountRun.js';
import { awsSecondsToSuccess } from '../../../bench/failureCost/awsTime.js';
import { billableUnits } from '../../../bench/failureCost/billableUnits.js';
import { PRICES } from '../../../bench/failureCost/prices.js';
import type { PlannedTask, RunRecord, TaskTrace } from '../../../bench/failureCost/runRecord.js';
import type { ApiCallTally } from '../../../local/apiCalls/apiCallCounter.js';

/**
 * The failure-cost suite's accounting on a run whose every count is known: if the figures drift from what
 * these inputs mean, the benchmark's tables are wrong, so the suite cannot rot silently.
 */
const tally = (
  fields: Partial<ApiCallTally> & Pick<ApiCallTally, 'caller' | 'service' | 'action'>,
): ApiCallTally => ({
  calls: 1,
  entries: 1,
  bytes: 100,
  emptyLongPolls: 0,
  ...fields,
});

const trace = (fields: Partial<TaskTrace>): TaskTrace => ({
  deliveries: [],
  failedCalls: 0,
  firstSuccessAt: undefined,
  firstDeadLetteredAt: undefined,
  ...fields,
});

const T = 1_000_000; // an epoch ms to start from

/**
 * Four messages at time scale 60: `ok` succeeds on its first delivery; `flaky` fails, waits 3 s (3 AWS
 * minutes) and succeeds; `poison` is received 5 times and dead-lettered; `parked` is dead-lettered after
 * 2 failed deliveries, redriven, and succeeds on the third.
 */
function knownRun(): RunRecord {
  const tasks: PlannedTask[] = [
    { taskId: 'ok', poison: false, failCalls: 0 },
    { taskId: 'flaky', poison: false, failCalls: 1 },
    { taskId: 'poison', poison: true, failCalls: 0 },
    { taskId: 'parked', poison: false, failCalls: 0 },
  ];
  const traces = new Map<string, TaskTrace>([
    ['ok', trace({ deliveries: [{ start: T, end: T + 40 }], firstSuccessAt: T + 20 })],
    [
      'flaky',
      trace({
        deliveries: [
          { start: T, end: T + 100 },
          { start: T + 3_100, end: T + 3_200 },
        ],
        failedCalls: 1,
        firstSuccessAt: T + 3_150,
      }),
    ],
    [
      'poison',
      trace({
        deliveries: [0, 1, 2, 3, 4, 5].map((index) => ({
          start: T + index * 3_000,
          end: T + index * 3_000 + 10,
        })),
        firstDeadLetteredAt: T + 13_000,
      }),
    ],
    [
      'parked',
      trace({
        deliveries: [
          { start: T, end: T + 50 },
          { start: T + 1_000, end: T + 1_050 },
          { start: T + 9_000, end: T + 9_100 },
        ],
        failedCalls: 2,
        firstSuccessAt: T + 9_050,
        firstDeadLetteredAt: T + 2_000,
      }),
    ],
  ]);
  return {
    contender: 'powertools',
    scenario: 'known',
    timeScale: 60,
    pollWaitSeconds: 1,
    tasks,
    traces,
    apiCalls: [
      // 10 receives, 4 of them empty long polls: each stands for 1 s × 60 / 20 s = 3 of Lambda's.
      tally({
        caller: 'event-source-mapping',
        service: 'sqs',
        action: 'ReceiveMessage',
        calls: 10,
        emptyLongPolls: 4,
      }),
      tally({
        caller: 'event-source-mapping',
        service: 'sqs',
        action: 'DeleteMessageBatch',
        calls: 2,
        entries: 3,
      }),
      tally({ caller: 'producer', service: 'sqs', action: 'SendMessageBatch', calls: 1, entries: 4 }),
      // 100 KiB in one call: two 64 KiB chunks, billed as two requests.
      tally({
        caller: 'functions',
        service: 'sqs',
        action: 'SendMessageBatch',
        calls: 1,
        bytes: 100 * 1_024,
      }),
      tally({ caller: 'functions', service: 'sns', action: 'PublishBatch', calls: 1, entries: 3 }),
      tally({ caller: 'functions', service: 'sns', action: 'Publish', calls: 2 }),
      tally({ caller: 'functions', service: 'dynamodb', action: 'BatchWriteItem', calls: 1, entries: 5 }),
      tally({ caller: 'functions', service: 'dynamodb', action: 'PutItem', calls: 2, entries: 2 }),
      tally({ caller: 'functions', service: 'dynamodb', action: 'GetItem', calls: 4, entries: 4 }),
      tally({ caller: 'functions', service: 'monitoring', action: 'DescribeAlarms', calls: 2 }),
      tally({ caller: 'functions', service: 'monitoring', action: 'PutMetricData', calls: 1 }),
      tally({ caller: 'functions', service: 'lambda', action: 'Invoke', calls: 1 }),
    ],
    functions: [
      {
        name: 'consumer',
        role: 'consumer',
        memoryMb: 256,
        invocations: 7,
        billedDurationMs: 1_000,
        initDurationMs: 1_000,
        logBytes: 2_000_000,
      },
      {
        name: 'redrive',
        role: 'other',
        memoryMb: 512,
        invocations: 1,
        billedDurationMs: 500,
        initDurationMs: 0,
        logBytes: 0,
      },
    ],
    consumerDurationsMs: [40, 100],
    fixed: { alarmMetrics: 0, compositeAlarms: 0, dashboards: 0, customMetrics: 0 },
    elapsedMs: 20_000,
    settled: true,
  };
}

describe('failure-cost accounting', () => {
  it('counts invocations, billed GB-seconds and each service’s calls, empty long polls scaled to AWS’s', () => {
    // Act
    const figures = accountRun(knownRun());

    // Assess
    expect(figures.invocations).toEqual({ consumer: 7, other: 1 });
    expect(figures.gbSeconds).toBeCloseTo(2 * 0.25 + 0.5 * 0.5, 10);
    expect(figures.calls).toEqual({
      sqs: 6 + 4 * 3 + 2 + 1 + 1,
      sns: 3,
      cloudWatch: 3,
      dynamoDb: 7,
      lambda: 1,
    });
    expect(figures.billable).toEqual({
      sqsRequests: 18 + 2 + 1 + 2,
      snsRequests: 1 + 2,
      cloudWatchRequests: 1,
      dynamoDbWriteUnits: 7,
      dynamoDbReadUnits: 4,
    });
    expect(figures.awsMinutes).toBe(20);
  });

  it('prices what it counted at the listed prices, per million messages', () => {
    // Act
    const { cost, dollarsPerMillionMessages } = accountRun(knownRun());

    // Assess
    const expected =
      (8 * PRICES.lambdaRequests.dollars) / 1e6 +
      0.75 * PRICES.lambdaArmGbSecond.dollars +
      (23 * PRICES.sqsRequests.dollars) / 1e6 +
      (3 * PRICES.snsPublishes.dollars) / 1e6 +
      (1 * PRICES.cloudWatchRequests.dollars) / 1e3 +
      0.002 * PRICES.cloudWatchLogsIngestion.dollars +
      (7 * PRICES.dynamoDbWrites.dollars) / 1e6 +
      (4 * PRICES.dynamoDbReads.dollars) / 1e6;
    expect(cost.total).toBeCloseTo(expected, 12);
    expect(dollarsPerMillionMessages).toBeCloseTo((expected / 4) * 1e6, 6);
  });

  it('times the messages that failed, in AWS time, and counts poison receives and healthy dead letters', () => {
    // Act
    const figures = accountRun(knownRun());

    // Assess: flaky = 3.1 s receive to receive × 60 + 0.05 s in the last; parked = 9 s × 60 + 0.05 s.
    expect(figures.failedAtLeastOnce).toBe(2);
    expect(figures.timeToSuccess?.p50).toBeCloseTo(3.1 * 60 + 0.05, 6);
    expect(figures.timeToSuccess?.p99).toBeCloseTo(9 * 60 + 0.05, 6);
    expect(figures.healthyDeadLettered).toBe(1);
    expect(figures.healthyUnfinished).toBe(0);
    expect(figures.poison).toEqual({
      count: 1,
      receivesBeforeDeadLetter: { mean: 5, max: 5 },
      receivesInRun: 6,
      neverDeadLettered: 0,
    });
  });

  it('reports a healthy message that never succeeded, and a poison one that never reached the DLQ', () => {
    // Prepare
    const run = knownRun();
    const traces = new Map(run.traces);
    traces.set('ok', trace({ deliveries: [{ start: T, end: T + 40 }] }));
    traces.set('poison', trace({ deliveries: [{ start: T, end: T + 10 }] }));

    // Act
    const figures = accountRun({ ...run, traces });

    // Assess
    expect(figures.healthyUnfinished).toBe(1);
    expect(figures.poison.neverDeadLettered).toBe(1);
    expect(figures.poison.receivesBeforeDeadLetter).toBeUndefined();
  });
});

describe('AWS time of a message', () => {
  it('scales the time from receive to receive, and counts the succeeding invocation’s time once', () => {
    expect(awsSecondsToSuccess([{ start: 0, end: 500 }], 300, 60)).toBeCloseTo(0.3, 10);
    expect(
      awsSecondsToSuccess(
        [
          { start: 1_000, end: 1_200 },
          { start: 0, end: 100 },
        ],
        1_100,
        10,
      ),
    ).toBeCloseTo(1 * 10 + 0.1, 10);
    // A delivery after the success does not count.
    expect(
      awsSecondsToSuccess(
        [
          { start: 0, end: 1_000 },
          { start: 900, end: 1_000 },
        ],
        600,
        10,
      ),
    ).toBeCloseTo(0.6, 10);
    expect(awsSecondsToSuccess([{ start: 500, end: 600 }], 100, 10)).toBeUndefined();
  });
});

describe('billable units', () => {
  it('leaves the calls AWS does not price at zero', () => {
    const units = billableUnits(
      [
        tally({ caller: 'functions', service: 'monitoring', action: 'DescribeAlarms', calls: 9 }),
        tally({ caller: 'functions', service: 'lambda', action: 'UpdateEventSourceMapping', calls: 9 }),
        tally({ caller: 'functions', service: 'dynamodb', action: 'DescribeTable', calls: 9 }),
      ],
      1,
    );
    expect(units).toEqual({
      sqsRequests: 0,
      snsRequests: 0,
      cloudWatchRequests: 0,
      dynamoDbWriteUnits: 0,
      dynamoDbReadUnits: 0,
    });
  });
});
