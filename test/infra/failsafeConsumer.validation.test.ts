import { Duration, type Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import {
  InvalidConsumerSettingsError,
  type SettingProblem,
} from '../../infra/consumer/settings/InvalidConsumerSettingsError.js';
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
        rule: 'visibility-timeout-covers-invocations',
        allowed:
          'below 3 min 10 s (190 s) (6 × function timeout 30 s + maxBatchingWindow 10 s); set visibilityTimeout to ' +
          'at least 3 min 10 s (190 s) (at most 12 h), or leave it unset. Otherwise a message becomes visible ' +
          'again while an invocation still holds it (its retries included), so it is delivered twice and spends ' +
          'receives towards the DLQ (docs/aws-semantics.md#visibility-timeout-and-function-timeout, rule ' +
          'visibility-timeout-covers-invocations)',
      },
    ],
    [
      'more alarm actions than CloudWatch has room for',
      { alarmActions: Array.from({ length: 5 }, () => ({ bind: () => ({ alarmActionArn: 'arn:x' }) })) },
      {
        prop: 'alarmActions',
        value: '5 actions',
        allowed:
          'at most 4: CloudWatch allows 5 actions per alarm state and the redrive function takes one; fan out ' +
          'through one SNS topic instead',
      },
    ],
    [
      'visibility timeout above 12 h',
      { visibilityTimeout: Duration.hours(13) },
      expect.objectContaining({ prop: 'visibilityTimeout', value: '13 h (46800 s)' }),
    ],
    [
      'maxReceiveCount below the safety net for a standard queue with copies',
      { maxReceiveCount: 3 },
      {
        prop: 'maxReceiveCount',
        value: '3',
        rule: 'max-receive-count-safety-net',
        allowed:
          'below 5: a message can have 1 reported receive(s), and 4 more are kept for crashes, timeouts and throttles; raise ' +
          'maxReceiveCount to at least 5 (1 + 4 (copies restart the receive count)), or leave it unset. Otherwise SQS moves a message on its maxReceiveCount-th receive without the failure metadata the runtime ' +
          'writes, so below the formula messages that were only waiting, or still had attempts left, reach the DLQ ' +
          'unexplained (docs/aws-semantics.md#redrive-policy, rule max-receive-count-safety-net)',
      },
    ],
    [
      'maxReceiveCount below the safety net for a FIFO queue',
      { fifo: true, maxReceiveCount: 20 },
      expect.objectContaining({
        prop: 'maxReceiveCount',
        value: '20',
        rule: 'max-receive-count-safety-net',
        allowed: expect.stringContaining(
          'raise maxReceiveCount to at least 53 (batchSize × (maxAttempts + 1) − 1 + 4 = 10 × (4 + 1) − 1 + 4)',
        ),
      }),
    ],
    [
      'maxReceiveCount below the safety net with redelivery in place',
      { maxReceiveCount: 6, failsafe: { redelivery: 'visibility' } },
      expect.objectContaining({
        prop: 'maxReceiveCount',
        allowed: expect.stringContaining('raise maxReceiveCount to at least 8 (maxAttempts + 4 = 4 + 4)'),
      }),
    ],
    [
      'more attempts than a FIFO queue’s maxReceiveCount can cover',
      { fifo: true, failsafe: { deadLetter: { maxAttempts: 100 } } },
      {
        prop: 'failsafe.deadLetter.maxAttempts',
        value: '100',
        rule: 'max-receive-count-safety-net',
        allowed:
          "the queue's maxReceiveCount would have to be batchSize × (maxAttempts + 1) − 1 + 4 = 10 × (100 + 1) − 1 + " +
          "4 = 1013, over SQS's 1000; lower failsafe.deadLetter.maxAttempts to at most 98 with batchSize 10, or lower " +
          'batchSize. Otherwise SQS moves a message on its maxReceiveCount-th receive without the failure metadata the runtime ' +
          'writes, so below the formula messages that were only waiting, or still had attempts left, reach the DLQ ' +
          'unexplained (docs/aws-semantics.md#redrive-policy, rule max-receive-count-safety-net)',
      },
    ],
    [
      'attempts disagreeing with the schedule',
      { failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60] }, deadLetter: { maxAttempts: 5 } } },
      expect.objectContaining({
        prop: 'failsafe.deadLetter.maxAttempts',
        value: '5',
        allowed: expect.stringContaining('dead-lettering on attempt 5 repeats t_2 2 more time(s)'),
      }),
    ],
    [
      'copies on a FIFO queue',
      { fifo: true, failsafe: { redelivery: 'copy' } },
      expect.objectContaining({ prop: 'failsafe.redelivery', value: "'copy'" }),
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
        rule: 'retention-outlasts-retry-horizon',
        allowed:
          'the retry horizon T_total = 1 h 26 min (delivery delay 0 s + 3 redelivery waits 1 h 10 min + ' +
          "reserve visibility 12 min + 8 receives × 30 s) is not shorter than the work queue's retention; raise " +
          'retentionPeriod above 1 h 26 min, or shorten the redelivery backoff or maxReceiveCount. Otherwise ' +
          'a message still being retried when its retention runs out is deleted by SQS: lost, never dead-lettered ' +
          '(docs/aws-semantics.md#retention, rule retention-outlasts-retry-horizon)',
      },
    ],
    [
      'standard DLQ retention not longer than the source’s',
      { retentionPeriod: days(4), deadLetterRetentionPeriod: days(4) },
      {
        prop: 'deadLetterRetentionPeriod',
        value: '4 days (345600 s)',
        rule: 'dead-letter-retention-outlasts-source',
        allowed:
          'the DLQ keeps messages no longer than the work queue (4 days (345600 s)); make deadLetterRetentionPeriod ' +
          'longer than retentionPeriod (4 days), up to 14 days. Otherwise a standard queue keeps the original ' +
          'enqueue time when it dead-letters a message, so the DLQ deletes it as early as the work queue would have ' +
          '(docs/aws-semantics.md#retention, rule dead-letter-retention-outlasts-source)',
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

  it('accepts a maxReceiveCount above the safety net, and the default is the safety net', () => {
    expect(problemsOf({ maxReceiveCount: 10, failsafe: { deadLetter: { maxAttempts: 5 } } })).toEqual([]);
    expect(
      problemsOf({ fifo: true, failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60] } } }),
    ).toEqual([]);
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
        '  - retentionPeriod = 1 h (3600 s): the retry horizon T_total = 20 h 54 min 40 s (delivery delay 0 s + 20 ' +
          'redelivery waits 20 h + reserve visibility 12 min 40 s + 63 receives × 40 s) is not shorter than the work ' +
          "queue's retention; raise retentionPeriod above 20 h 54 min 40 s, or shorten the redelivery backoff or " +
          'maxReceiveCount. Otherwise a message still being retried when its retention runs out is deleted by SQS: ' +
          'lost, never dead-lettered (docs/aws-semantics.md#retention, rule retention-outlasts-retry-horizon)',
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

  it('refuses a redrive-settings object and a function of the user’s own together', () => {
    const { stack } = testStack();
    const redriveFunction = lambda.Function.fromFunctionArn(
      stack,
      'Redrive',
      'arn:aws:lambda:eu-west-1:111122223333:function:redrive',
    );
    expect(problemsOf({ redriveFunction, redrive: { cooldown: seconds(60) } }, stack)).toEqual([
      {
        prop: 'redrive',
        value: '{ cooldown }',
        allowed:
          'leave it unset when you give redriveFunction: the construct then creates no redrive function, and ' +
          'yours is configured by you',
      },
    ]);
  });

  it('accepts every feature on at once, and every feature off', () => {
    expect(
      problemsOf({
        fifo: true,
        maxConcurrency: 10,
        redrive: { parkingQueue: true, continuation: 'schedule', scheduleInterval: Duration.minutes(10) },
        circuitBreaker: { fullConcurrency: 10, halfOpenConcurrency: 3, probeInterval: Duration.minutes(10) },
        // FIFO's horizon counts the attempts of the messages ahead in a batch (1 h 13 min 30 s here).
        idempotency: { keyPath: 'order.id', expiresAfter: Duration.hours(2), inProgressExpiry: seconds(60) },
      }),
    ).toEqual([]);
    expect(problemsOf({ redrive: false, circuitBreaker: false })).toEqual([]);
  });
});

describe('FailsafeConsumer synth-time validation: redrive, circuit breaker, idempotency', () => {
  // Each case breaks exactly one rule; the problem must name the prop, show the value and give the range.
  it.each<[string, FailsafeConsumerProps, SettingProblem]>([
    [
      'a redrive cooldown beyond a week (the function’s own schema)',
      { redrive: { cooldown: days(8) } },
      { prop: 'redrive.cooldown', value: '8 days (691200 s)', allowed: 'whole seconds from 0 s to 7 days' },
    ],
    [
      'a redrive rate of 0',
      { redrive: { ratePerSecond: 0 } },
      { prop: 'redrive.ratePerSecond', value: '0', allowed: 'a number from 0.01 to 1000000' },
    ],
    [
      'no messages per run',
      { redrive: { maxMessagesPerRun: 0 } },
      { prop: 'redrive.maxMessagesPerRun', value: '0', allowed: 'an integer from 1 to 1000000000' },
    ],
    [
      'a loop guard of 0',
      { redrive: { maxRedrivesPerMessage: 0 } },
      { prop: 'redrive.maxRedrivesPerMessage', value: '0', allowed: 'an integer from 1 to 1000' },
    ],
    [
      'a redrive breaker ratio above 1',
      { redrive: { returnBreaker: { returnThreshold: 2 } } },
      {
        prop: 'redrive.returnBreaker.returnThreshold',
        value: '2',
        allowed: 'a number above 0 and at most 1',
      },
    ],
    [
      'a redrive breaker window under a minute',
      { redrive: { returnBreaker: { window: seconds(10) } } },
      {
        prop: 'redrive.returnBreaker.window',
        value: '10 s',
        allowed: 'whole seconds from 1 min to 7 days',
      },
    ],
    [
      'redrive concurrency above 100',
      { redrive: { concurrency: 101 } },
      { prop: 'redrive.concurrency', value: '101', allowed: 'an integer from 1 to 100' },
    ],
    [
      'an unknown continuation',
      { redrive: { continuation: 'later' as never } },
      { prop: 'redrive.continuation', value: 'later', allowed: '"self-invoke" or "schedule"' },
    ],
    [
      'a schedule that is no whole number of minutes',
      { redrive: { continuation: 'schedule', scheduleInterval: seconds(90) } },
      {
        prop: 'redrive.scheduleInterval',
        value: '1 min 30 s (90 s)',
        allowed: 'whole minutes from 1 min to 1 day (an EventBridge rate)',
      },
    ],
    [
      'maxContinuations with the schedule',
      { redrive: { continuation: 'schedule', maxContinuations: 2 } },
      {
        prop: 'redrive.maxContinuations',
        value: '2',
        allowed: 'applies to continuation "self-invoke" only (continuation is "schedule")',
      },
    ],
    [
      'a redrive timeout too short to move anything',
      { redrive: { timeout: seconds(10) } },
      {
        prop: 'redrive.timeout',
        value: '10 s',
        allowed:
          'whole seconds from 30 s to 15 min: a run stops 10 s before the timeout, so a shorter one leaves it ' +
          'no time to move anything',
      },
    ],
    [
      'redrive memory below Lambda’s minimum',
      { redrive: { memorySize: 64 } },
      { prop: 'redrive.memorySize', value: '64', allowed: 'an integer from 128 to 10,240 MB (Lambda)' },
    ],
    [
      'a breaker threshold of 0',
      { circuitBreaker: { threshold: 0 } },
      {
        prop: 'circuitBreaker.threshold',
        value: '0',
        allowed: 'an integer of at least 1 (transient failures)',
      },
    ],
    [
      'a failure rate above 100 %',
      { circuitBreaker: { failureRatePercent: 150 } },
      {
        prop: 'circuitBreaker.failureRatePercent',
        value: '150',
        allowed: 'an integer from 1 to 100 (percent of records failing with a retryable error)',
      },
    ],
    [
      'a high-resolution alarm period',
      { circuitBreaker: { period: seconds(30) } },
      {
        prop: 'circuitBreaker.period',
        value: '30 s',
        allowed: 'whole minutes from 1 min to 1 day: the runtime emits standard-resolution metrics',
      },
    ],
    [
      'no evaluation period',
      { circuitBreaker: { evaluationPeriods: 0 } },
      { prop: 'circuitBreaker.evaluationPeriods', value: '0', allowed: 'an integer of at least 1' },
    ],
    [
      'an evaluation range beyond a day',
      { circuitBreaker: { period: Duration.hours(1), evaluationPeriods: 25, probeInterval: days(1) } },
      {
        prop: 'circuitBreaker.evaluationPeriods',
        value: '25',
        allowed: 'at most 24: period × evaluationPeriods may span 1 day at most (CloudWatch)',
      },
    ],
    [
      'more datapoints to alarm than periods',
      { circuitBreaker: { datapointsToAlarm: 4 } },
      {
        prop: 'circuitBreaker.datapointsToAlarm',
        value: '4',
        allowed: 'an integer from 1 to evaluationPeriods (3)',
      },
    ],
    [
      'a probe shorter than the alarm’s evaluation',
      { circuitBreaker: { probeInterval: Duration.minutes(2) } },
      {
        prop: 'circuitBreaker.probeInterval',
        value: '2 min (120 s)',
        allowed:
          'at least period × evaluationPeriods (3 min (180 s)): the probe would decide before the alarm ' +
          'has judged the half-open traffic',
      },
    ],
    [
      'a probe that is no whole number of minutes',
      { circuitBreaker: { probeInterval: seconds(270) } },
      {
        prop: 'circuitBreaker.probeInterval',
        value: '4 min 30 s (270 s)',
        allowed: 'whole minutes from 1 min: the probe schedule is an EventBridge rate',
      },
    ],
    [
      'a cool-down of 0 (the controller’s own schema)',
      { circuitBreaker: { cooldown: seconds(0) } },
      { prop: 'circuitBreaker.cooldown', value: '0 s', allowed: 'whole seconds from 1 s to 1 day' },
    ],
    [
      'a half-open concurrency below AWS’s minimum',
      { circuitBreaker: { halfOpenConcurrency: 1 } },
      { prop: 'circuitBreaker.halfOpenConcurrency', value: '1', allowed: 'an integer from 2 to 1000' },
    ],
    [
      'a full concurrency without maxConcurrency',
      { circuitBreaker: { fullConcurrency: 10 } },
      {
        prop: 'circuitBreaker.fullConcurrency',
        value: '10',
        allowed:
          'only with maxConcurrency, and equal to it: the mapping has no maximum, so closing restores none',
      },
    ],
    [
      'a full concurrency other than maxConcurrency',
      { maxConcurrency: 10, circuitBreaker: { fullConcurrency: 20 } },
      {
        prop: 'circuitBreaker.fullConcurrency',
        value: '20',
        allowed:
          'equal to maxConcurrency (10), the concurrency the mapping is deployed with: closing the breaker ' +
          'restores it, and the next deployment would undo any other',
      },
    ],
    [
      'a maxConcurrency the breaker cannot tell from half-open',
      { maxConcurrency: 2 },
      {
        prop: 'maxConcurrency',
        value: '2',
        allowed:
          'above circuitBreaker.halfOpenConcurrency (2) while the circuit breaker is on, or it cannot tell ' +
          'half-open from closed; raise maxConcurrency, or turn the breaker off',
      },
    ],
    [
      'a half-open concurrency as high as maxConcurrency',
      { maxConcurrency: 5, circuitBreaker: { halfOpenConcurrency: 5 } },
      {
        prop: 'circuitBreaker.halfOpenConcurrency',
        value: '5',
        allowed:
          'below maxConcurrency (5), which closing the breaker restores, or the breaker cannot tell half-open ' +
          'from closed',
      },
    ],
    [
      'an idempotency key path with an empty segment',
      { idempotency: { keyPath: 'order..id' } },
      {
        prop: 'idempotency.keyPath',
        value: 'order..id',
        allowed: "a dot path into the body, such as 'order.id' (no empty segment, no space)",
      },
    ],
    [
      'keys that never expire',
      { idempotency: { expiresAfter: seconds(0) } },
      { prop: 'idempotency.expiresAfter', value: '0 s', allowed: 'whole seconds from 1 s to 365 days' },
    ],
    [
      'an in-progress lock beyond 12 h',
      { idempotency: { inProgressExpiry: seconds(50_000) } },
      {
        prop: 'idempotency.inProgressExpiry',
        value: '13 h 53 min 20 s (50000 s)',
        allowed: 'whole seconds from 1 s to 12 h',
      },
    ],
    [
      'a duration in fractions of a second',
      { circuitBreaker: { cooldown: Duration.millis(1_500) } },
      { prop: 'circuitBreaker.cooldown', value: '1.5 s', allowed: 'whole seconds from 1 s to 1 day' },
    ],
    [
      'a number where a Duration belongs (JavaScript)',
      { idempotency: { expiresAfter: 3_600 as never } },
      { prop: 'idempotency.expiresAfter', value: '3600', allowed: 'a Duration, such as Duration.minutes(5)' },
    ],
    [
      'a setting under its configuration name, which the construct would not read',
      { circuitBreaker: { coolDownSeconds: 60 } as never },
      {
        prop: 'circuitBreaker.coolDownSeconds',
        value: '60',
        allowed: 'unset: the prop is cooldown, a Duration',
      },
    ],
    [
      'the redrive return breaker under its configuration name',
      { redrive: { circuitBreaker: { returnThreshold: 0.2 } } as never },
      {
        prop: 'redrive.circuitBreaker',
        value: '{"returnThreshold":0.2}',
        allowed: 'unset: the prop is returnBreaker',
      },
    ],
    [
      'a setting the construct does not have',
      { redrive: { scheduleSeconds: 600 } as never },
      { prop: 'redrive.scheduleSeconds', value: '600', allowed: 'is not a known option (scheduleSeconds)' },
    ],
    [
      'idempotency in the runtime settings, bypassing the table',
      { failsafe: { idempotency: { tableName: 'mine' } } as never },
      {
        prop: 'failsafe.idempotency',
        value: '{"tableName":"mine"}',
        allowed:
          'unset: use the idempotency prop, with which the construct creates the table and grants access',
      },
    ],
  ])('refuses %s', (_case, props, expected) => {
    expect(problemsOf(props)).toEqual([expected]);
  });

  it('accepts maxConcurrency 2 with the breaker off', () => {
    expect(problemsOf({ maxConcurrency: 2, circuitBreaker: false })).toEqual([]);
  });

  it('lists the new settings’ problems in the same single error as the others', () => {
    const { stack } = testStack();
    expect(
      () =>
        new FailsafeConsumer(stack, 'Consumer', {
          batchSize: 0,
          redrive: { cooldown: days(8) },
          circuitBreaker: { threshold: 0 },
          idempotency: { expiresAfter: seconds(0) },
        }),
    ).toThrow(
      [
        'FailsafeConsumer Test/Consumer: 4 invalid settings',
        '  - batchSize = 0: an integer from 1 to 10000 for standard queues',
        '  - redrive.cooldown = 8 days (691200 s): whole seconds from 0 s to 7 days',
        '  - circuitBreaker.threshold = 0: an integer of at least 1 (transient failures)',
        '  - idempotency.expiresAfter = 0 s: whole seconds from 1 s to 365 days',
      ].join('\n'),
    );
  });
});
