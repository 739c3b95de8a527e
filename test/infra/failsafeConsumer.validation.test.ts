import { Duration, type Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import {
  InvalidConsumerSettingsError,
  type SettingProblem,
} from '../../infra/consumer/InvalidConsumerSettingsError.js';
import { testStack } from './helpers/consumerStack.js';

/** The problems the construct reports for these props (none when it builds). */
function problemsOf(
  props: FailsafeConsumerProps,
  stack: Stack = testStack().stack,
): readonly SettingProblem[] {
  try {
    new FailsafeConsumer(stack, 'Consumer', props);
    return [];
  } catch (error) {
    if (error instanceof InvalidConsumerSettingsError) return error.problems;
    throw error;
  }
}

const days = Duration.days;
const seconds = Duration.seconds;

describe('FailsafeConsumer synth-time validation', () => {
  it('accepts the defaults', () => {
    expect(problemsOf({})).toEqual([]);
  });

  // Each case breaks exactly one rule; the problem must name the prop, show the value and give the range.
  it.each<[string, FailsafeConsumerProps, SettingProblem]>([
    [
      'visibility timeout below 6 × function timeout + batching window',
      { visibilityTimeout: seconds(60), maxBatchingWindow: seconds(10) },
      {
        prop: 'visibilityTimeout',
        value: '1 min (60 s)',
        allowed:
          'from 3 min 10 s (190 s) (6 × function timeout 30 s + maxBatchingWindow 10 s, as AWS recommends; a ' +
          'shorter one redelivers messages still being processed) to 12 h',
      },
    ],
    [
      'visibility timeout above 12 h',
      { visibilityTimeout: Duration.hours(13) },
      expect.objectContaining({ prop: 'visibilityTimeout', value: '13 h (46800 s)' }),
    ],
    [
      'maxReceiveCount shorter than the schedule',
      { maxReceiveCount: 3, failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60, 300, 900] } } },
      {
        prop: 'maxReceiveCount',
        value: '3',
        allowed:
          '6: the redelivery schedule has 4 waits (t_1..t_4) between 5 receives, the last of which dead-letters, ' +
          'plus one receive in reserve for invocations that never complete; with 3, SQS moves messages before ' +
          'the schedule is used up',
      },
    ],
    [
      'maxReceiveCount longer than the schedule',
      { maxReceiveCount: 6, failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60] } } },
      expect.objectContaining({
        prop: 'maxReceiveCount',
        value: '6',
        allowed: expect.stringContaining('with 6, 2 extra receive(s) would never follow the schedule'),
      }),
    ],
    [
      'runtime dead-letter receive count disagreeing with the schedule',
      {
        failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60] }, deadLetter: { maxReceiveCount: 5 } },
      },
      expect.objectContaining({ prop: 'failsafe.deadLetter.maxReceiveCount', value: '5' }),
    ],
    [
      'runtime dead-letter receive count above the queue’s',
      { maxReceiveCount: 5, failsafe: { deadLetter: { maxReceiveCount: 6 } } },
      {
        prop: 'failsafe.deadLetter.maxReceiveCount',
        value: '6',
        allowed:
          'a runtime dead-letter receive (R = 6) from 1 to maxReceiveCount - 1 (4): the queue keeps its last ' +
          'receive in reserve, so a message whose invocations never complete (timeouts, crashes) is still ' +
          'dead-lettered by the runtime with its failure metadata, not moved by SQS without any',
      },
    ],
    [
      'retry horizon longer than the retention',
      {
        retentionPeriod: Duration.hours(1),
        deadLetterRetentionPeriod: days(1),
        failsafe: { redeliveryBackoff: { scheduleSeconds: [600, 1_800, 1_800] } },
      },
      {
        prop: 'retentionPeriod',
        value: '1 h (3600 s)',
        allowed:
          'longer than the retry horizon T_total = 1 h 15 min 30 s (delivery delay 0 s + 3 redelivery waits ' +
          '1 h 10 min + reserve visibility 3 min + 5 receives × 30 s): a message still being retried would expire ' +
          'and be lost; raise retentionPeriod or shorten the redelivery backoff or maxReceiveCount',
      },
    ],
    [
      'standard DLQ retention not longer than the source’s',
      { retentionPeriod: days(4), deadLetterRetentionPeriod: days(4) },
      {
        prop: 'deadLetterRetentionPeriod',
        value: '4 days (345600 s)',
        allowed:
          'longer than retentionPeriod (4 days (345600 s)) and at most 14 days: a standard queue keeps the ' +
          'original enqueue time when it dead-letters a message, so the DLQ would expire it early',
      },
    ],
    [
      'a FIFO name on a standard queue',
      { queueName: 'orders.fifo' },
      {
        prop: 'queueName',
        value: 'orders.fifo',
        allowed: 'only FIFO queue names end in ".fifo": set fifo to true or rename the queue',
      },
    ],
    [
      'a standard name on a FIFO DLQ',
      { fifo: true, deadLetterQueueName: 'orders-dlq' },
      {
        prop: 'deadLetterQueueName',
        value: 'orders-dlq',
        allowed: 'a FIFO queue name ends in ".fifo" (fifo is true)',
      },
    ],
    [
      'a FIFO mode on a standard queue',
      { failsafe: { fifoMode: 'skip-failed-group' } },
      {
        prop: 'failsafe.fifoMode',
        value: 'skip-failed-group',
        allowed: 'applies to FIFO queues only (fifo is false)',
      },
    ],
    [
      'content-based deduplication on a standard queue',
      { contentBasedDeduplication: true },
      expect.objectContaining({ prop: 'contentBasedDeduplication' }),
    ],
    [
      'FIFO batch size above 10',
      { fifo: true, batchSize: 11 },
      { prop: 'batchSize', value: '11', allowed: 'an integer from 1 to 10 for FIFO queues' },
    ],
    [
      'standard batch size above 10,000',
      { batchSize: 10_001, maxBatchingWindow: seconds(1) },
      { prop: 'batchSize', value: '10001', allowed: 'an integer from 1 to 10000 for standard queues' },
    ],
    ['batch size 0', { batchSize: 0 }, expect.objectContaining({ prop: 'batchSize', value: '0' })],
    [
      'a batching window on a FIFO queue',
      { fifo: true, maxBatchingWindow: seconds(5) },
      {
        prop: 'maxBatchingWindow',
        value: '5 s',
        allowed: 'FIFO queues take no batching window: leave it unset',
      },
    ],
    [
      'a batching window above 300 s',
      { maxBatchingWindow: seconds(301) },
      {
        prop: 'maxBatchingWindow',
        value: '5 min 1 s (301 s)',
        allowed: 'whole seconds from 0 s to 5 min (300 s)',
      },
    ],
    [
      'no batching window with a batch above 10',
      { batchSize: 11 },
      {
        prop: 'maxBatchingWindow',
        value: '0 s',
        allowed: 'at least 1 s when batchSize (11) is above 10 (Lambda)',
      },
    ],
    [
      'maximum concurrency below 2',
      { maxConcurrency: 1 },
      { prop: 'maxConcurrency', value: '1', allowed: 'an integer from 2 to 1000 (Lambda)' },
    ],
    [
      'maximum concurrency above 1000',
      { maxConcurrency: 1_001 },
      expect.objectContaining({ prop: 'maxConcurrency', value: '1001' }),
    ],
    [
      'maxReceiveCount above 1000',
      { maxReceiveCount: 1_001 },
      { prop: 'maxReceiveCount', value: '1001', allowed: 'an integer from 1 to 1000 (SQS redrive policy)' },
    ],
    [
      'retention below 60 s',
      { retentionPeriod: seconds(59) },
      expect.objectContaining({
        prop: 'retentionPeriod',
        value: '59 s',
        allowed: 'from 1 min to 14 days (SQS)',
      }),
    ],
    [
      'DLQ retention above 14 days',
      { deadLetterRetentionPeriod: days(15) },
      expect.objectContaining({ prop: 'deadLetterRetentionPeriod', allowed: 'from 1 min to 14 days (SQS)' }),
    ],
    [
      'delivery delay above 15 min',
      { deliveryDelay: seconds(901) },
      expect.objectContaining({ prop: 'deliveryDelay', value: '15 min 1 s (901 s)' }),
    ],
    [
      'function timeout above 15 min',
      { timeout: Duration.minutes(16) },
      expect.objectContaining({ prop: 'timeout', allowed: 'whole seconds from 1 s to 15 min (Lambda)' }),
    ],
    [
      'a maximum age beyond the retention',
      { failsafe: { deadLetter: { maxAgeSeconds: 5 * 86_400 } } },
      expect.objectContaining({ prop: 'failsafe.deadLetter.maxAgeSeconds', value: '5 days (432000 s)' }),
    ],
    [
      'an empty schedule',
      { failsafe: { redeliveryBackoff: { scheduleSeconds: [] } } },
      { prop: 'failsafe.redeliveryBackoff.scheduleSeconds', value: '[]', allowed: 'at least one wait (t_1)' },
    ],
    [
      'a schedule wait beyond 12 h',
      { failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 50_000] } } },
      expect.objectContaining({ prop: 'failsafe.redeliveryBackoff.scheduleSeconds[1]', value: '50000' }),
    ],
    [
      'an exponential cap below its base',
      { failsafe: { redeliveryBackoff: { baseSeconds: 60, maxSeconds: 30 } } },
      expect.objectContaining({ prop: 'failsafe.redeliveryBackoff.maxSeconds', value: '30' }),
    ],
    [
      'an exponential multiplier below 1',
      { failsafe: { redeliveryBackoff: { multiplier: 0.5 } } },
      expect.objectContaining({ prop: 'failsafe.redeliveryBackoff.multiplier', value: '0.5' }),
    ],
    [
      'a safety margin as long as the function timeout',
      { failsafe: { safetyMarginMs: 30_000 } },
      expect.objectContaining({ prop: 'failsafe.safetyMarginMs', value: '30000 ms' }),
    ],
    [
      'an unknown notification event',
      { failsafe: { notifications: { events: ['message.vanished' as never] } } },
      expect.objectContaining({ prop: 'failsafe.notifications.events', value: 'message.vanished' }),
    ],
    [
      'an oldest-message threshold beyond the retention',
      { oldestMessageAgeThreshold: days(4) },
      expect.objectContaining({ prop: 'oldestMessageAgeThreshold', value: '4 days (345600 s)' }),
    ],
    [
      'an alarm threshold of 0',
      { consumerErrorsThreshold: 0 },
      { prop: 'consumerErrorsThreshold', value: '0', allowed: 'an integer of at least 1' },
    ],
    [
      'a duration given as a token',
      { retentionPeriod: Duration.seconds(Token.asNumber({ Ref: 'Retention' })) },
      expect.objectContaining({
        prop: 'retentionPeriod',
        value: 'an unresolved token (give a literal Duration)',
      }),
    ],
  ])('refuses %s', (_case, props, expected) => {
    expect(problemsOf(props)).toEqual([expected]);
  });

  it('accepts a FIFO DLQ whose retention is not longer (FIFO resets the enqueue time)', () => {
    expect(problemsOf({ fifo: true, retentionPeriod: days(4), deadLetterRetentionPeriod: days(4) })).toEqual(
      [],
    );
  });

  it('accepts a runtime dead-letter receive count below the queue’s as a backstop', () => {
    const props = { maxReceiveCount: 10, failsafe: { deadLetter: { maxReceiveCount: 5 } } };
    expect(problemsOf(props)).toEqual([]);
  });

  it('refuses an entry together with an existing function, and bundling props on an existing function', () => {
    const { stack } = testStack();
    const existing = new lambda.Function(stack, 'Existing', {
      runtime: lambda.Runtime.NODEJS_24_X,
      code: lambda.Code.fromInline('export const handler = async () => {};'),
      handler: 'index.handler',
    });
    const problems = problemsOf(
      {
        consumerFunction: existing,
        entry: 'handler.ts',
        memorySize: 512,
        logRetention: logs.RetentionDays.ONE_DAY,
      },
      stack,
    );
    expect(problems.map((problem) => problem.prop)).toEqual(['entry', 'memorySize', 'logRetention']);
  });

  it('checks the retry math against an existing function’s timeout', () => {
    const { stack } = testStack();
    const existing = new lambda.Function(stack, 'Existing', {
      runtime: lambda.Runtime.NODEJS_24_X,
      code: lambda.Code.fromInline('export const handler = async () => {};'),
      handler: 'index.handler',
      timeout: Duration.minutes(5),
    });
    const problems = problemsOf(
      { consumerFunction: existing, visibilityTimeout: Duration.minutes(10) },
      stack,
    );
    expect(problems).toEqual([
      expect.objectContaining({ prop: 'visibilityTimeout', value: '10 min (600 s)' }),
    ]);
  });

  it('lists every problem in one error, naming prop, value and allowed range', () => {
    // Prepare
    const { stack } = testStack();
    const props: FailsafeConsumerProps = {
      fifo: true,
      batchSize: 20,
      maxBatchingWindow: seconds(10),
      retentionPeriod: Duration.hours(1),
      failsafe: { redeliveryBackoff: { scheduleSeconds: [3_600] } },
    };

    // Act
    const error = (() => {
      try {
        new FailsafeConsumer(stack, 'Consumer', props);
      } catch (caught) {
        return caught;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(InvalidConsumerSettingsError);
    expect((error as Error).message).toBe(
      [
        'FailsafeConsumer Test/Consumer: 3 invalid settings',
        '  - batchSize = 20: an integer from 1 to 10 for FIFO queues',
        '  - maxBatchingWindow = 10 s: FIFO queues take no batching window: leave it unset',
        '  - retentionPeriod = 1 h (3600 s): longer than the retry horizon T_total = 1 h 5 min 10 s (delivery ' +
          'delay 0 s + 1 redelivery waits 1 h + reserve visibility 3 min 10 s + 3 receives × 40 s): a message ' +
          'still being retried would expire and be lost; raise retentionPeriod or shorten the redelivery backoff ' +
          'or maxReceiveCount',
      ].join('\n'),
    );
  });

  it('creates no resource when it refuses', () => {
    const { stack } = testStack();
    expect(() => new FailsafeConsumer(stack, 'Consumer', { batchSize: 0 })).toThrow(
      InvalidConsumerSettingsError,
    );
    expect(stack.node.findChild('Consumer').node.children).toHaveLength(0);
  });
});
