import { describe, expect, it } from 'vitest';
import type { AlarmSpec, CompositeAlarmSpec } from '../../../local/provision/localResources.js';
import { alarmTimelineTable, alarmWhy, awsDuration } from '../../../local/report/alarmTimeline.js';
import { type RunSummary, summaryTable } from '../../../local/report/summaryTable.js';
import { waitingFor } from '../../../local/report/waitingFor.js';
import { ledgerTotals, RUN_SUBJECT, runSample } from '../../helpers/runSamples.js';

const T0 = Date.parse('2026-11-24T10:00:00Z');

describe('waitingFor', () => {
  it('names each thing a stalled run waits for', () => {
    const sample = runSample({
      at: T0,
      breaker: 'open',
      visible: 120,
      inBackoff: 3,
      backoffFrom: T0 + 2_000,
      backoffUntil: T0 + 12_000,
      invocationsRunning: 2,
      inFlight: 20,
      longestInvocationMs: 25_000,
      deadLetterDepth: 4,
      redriveCooldownUntil: T0 + 15_000,
      alarms: { ConsumerHealth: 'OK' },
    });
    expect(waitingFor(sample, RUN_SUBJECT).map((wait) => wait.kind)).toEqual([
      'breaker-open',
      'backoff',
      'long-invocations',
      'redrive-cooldown',
    ]);
    expect(waitingFor(sample, RUN_SUBJECT).map((wait) => wait.text)).toEqual([
      'the circuit breaker paused the consumer (120 messages wait in the queue); it probes every 5 s',
      expect.stringMatching(
        /^3 messages in backoff, back from \d\d:\d\d:\d\d until \d\d:\d\d:\d\d \(12 s\)$/,
      ),
      '20 messages in invocations running for up to 25 s (a slow record holds its batch until the time budget)',
      expect.stringMatching(/^4 dead letters wait for the redrive cool-down until \d\d:\d\d:\d\d \(15 s\)$/),
    ]);
  });

  it('says dead letters wait for the health alarm, which a redrive must not run into', () => {
    const sample = runSample({
      deadLetterDepth: 1,
      alarms: { ConsumerHealth: 'ALARM' },
      breaker: 'half-open',
    });
    expect(waitingFor(sample, RUN_SUBJECT).map((wait) => wait.text)).toEqual([
      'the circuit breaker is probing at low concurrency',
      '1 dead letter wait for ConsumerHealth to return to OK before a redrive',
    ]);
  });

  it('is empty while nothing holds the run up', () => {
    expect(
      waitingFor(
        runSample({ visible: 50, inFlight: 10, invocationsRunning: 1, longestInvocationMs: 300 }),
        RUN_SUBJECT,
      ),
    ).toEqual([]);
  });
});

describe('the alarm timeline', () => {
  const metricAlarm = {
    kind: 'metric',
    name: 'Stack-Worker-DeadLetterQueueNotEmpty',
    metric: { metricName: 'ApproximateNumberOfMessagesVisible' },
    metrics: [],
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 0,
  } as unknown as AlarmSpec;
  const composite = {
    kind: 'composite',
    name: 'Stack-Worker-ConsumerHealth',
    rule: 'ALARM("arn:aws:cloudwatch:us-east-1:1:alarm:Stack-Worker-OldestMessageAge") OR ALARM("arn:aws:cloudwatch:us-east-1:1:alarm:Stack-Worker-ConsumerErrors")',
  } as unknown as CompositeAlarmSpec;

  it('says why each alarm changed: the metric against its threshold, or the alarms behind a composite one', () => {
    expect(
      alarmWhy(
        metricAlarm,
        'Threshold Crossed: 1 out of the last 1 datapoints [4] crossed the threshold (0) (minimum 1 ...).',
        new Map(),
      ),
    ).toBe('ApproximateNumberOfMessagesVisible 4 (threshold > 0)');
    const states = new Map([
      ['Stack-Worker-OldestMessageAge', 'ALARM' as const],
      ['Stack-Worker-ConsumerErrors', 'OK' as const],
      ['Stack-Worker-DeadLetterQueueNotEmpty', 'ALARM' as const],
    ]);
    expect(alarmWhy(composite, 'Composite rule became true', states)).toBe('OldestMessageAge in ALARM');
  });

  it('is a table, one row per change, with the time here and on AWS (tried: 9 changes on one wrapped line)', () => {
    const table = alarmTimelineTable(
      [
        {
          at: T0 + 4_000,
          alarm: 'DeadLetterQueueNotEmpty',
          previous: 'OK',
          state: 'ALARM',
          why: 'ApproximateNumberOfMessagesVisible 2 (threshold > 0)',
          actions: 1,
        },
        {
          at: T0 + 95_500,
          alarm: 'ConsumerHealth',
          previous: 'ALARM',
          state: 'OK',
          why: 'none of its alarms is in ALARM',
          actions: 2,
        },
      ],
      T0,
      60,
    );
    expect(table.split('\n')).toEqual([
      '  time     on AWS      alarm                    change       why',
      '  +4.0 s   4 min       DeadLetterQueueNotEmpty  OK -> ALARM  ApproximateNumberOfMessagesVisible 2 (threshold > 0); 1 action',
      '  +95.5 s  1 h 36 min  ConsumerHealth           ALARM -> OK  none of its alarms is in ALARM; 2 actions',
    ]);
    expect([awsDuration(45), awsDuration(600), awsDuration(5_400)]).toEqual(['45 s', '10 min', '1 h 30 min']);
  });
});

describe('the run summary', () => {
  const summary: RunSummary = {
    totals: ledgerTotals({
      produced: 1_000,
      processed: 996,
      deadLettered: 4,
      everDeadLettered: 4,
      redriven: 12,
      redrivenAndDeadLetteredAgain: 12,
      deadLettersSent: 16,
      deadLettersAnnounced: 16,
    }),
    seconds: 36,
    deadLettersWithoutMetadata: 0,
    notificationFailures: 1,
    injected: { sqsThrottled: 1, snsFailed: 0 },
    invocations: [
      { name: 'WorkerConsumer', total: 124, errors: 2, timeouts: 1, throttles: 0 },
      { name: 'WorkerRedriveFunction', total: 5, errors: 0, timeouts: 0, throttles: 1 },
    ],
    alarmTransitions: 1,
  };
  const row = (label: string) =>
    summaryTable(summary)
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.startsWith(label))
      ?.slice(label.length)
      .trim();

  it('explains messages redriven and dead-lettered again (tried: "16 of 16 announced" next to "dead-lettered 4")', () => {
    expect(row('redriven (DLQ -> queue)')).toBe(
      '12: 0 processed after it, 12 failed again and went back to the DLQ (redriving cannot fix a permanent failure; the redrive cap ends the loop)',
    );
    expect(row('dead letters sent by the runtime')).toBe(
      '16 sends for 4 messages (again after each failed redrive); 16 of 16 announced on the topic, 1 event publish failure logged and counted',
    );
  });

  it('prints invocations, timeouts and throttles, per function too (tried: the row docs/local-runtime.md promises was missing)', () => {
    expect(row('invocations')).toBe('129; 1 timed out, 1 throttled, 2 failed as a whole (timeouts included)');
    expect(row('by function')).toBe('WorkerConsumer 124 (1 timeout), WorkerRedriveFunction 5');
  });

  it('puts nouns in the right number (tried: "1 topics", "1 schedules")', () => {
    expect(row('injected AWS faults')).toBe('1 SQS throttle, 0 SNS publish failures');
    expect(row('alarm transitions')).toBe('1 (the timeline below)');
  });
});
