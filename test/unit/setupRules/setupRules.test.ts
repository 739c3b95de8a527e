import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConsumerSetup } from '../../../lib/setupRules/consumerSetup.js';
import { alarmActionReachesPeople } from '../../../lib/setupRules/rules/alarmRules.js';
import { checkConsumerSetup, SETUP_RULES } from '../../../lib/setupRules/setupRules.js';

const SNS = 'arn:aws:sns:eu-west-1:111122223333:ops';
const LAMBDA = 'arn:aws:lambda:eu-west-1:111122223333:function:redrive';

type Mapping = NonNullable<ConsumerSetup['mapping']>;
const MAPPING: Mapping = {
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  maxConcurrency: 10,
  reportBatchItemFailures: true,
};
const DLQ = { name: 'orders-dlq', fifo: false, retentionSeconds: 14 * 86_400 };
const REDRIVE = {
  cooldownSeconds: 900,
  recheckSeconds: 300,
  parkingQueue: { name: 'orders-parked', fifo: false, retentionSeconds: 14 * 86_400 },
};
const ALARMS = [
  { name: 'dlq', watches: 'dead-letter-queue', alarmActionArns: [LAMBDA, SNS] },
  { name: 'parked', watches: 'parking-queue', alarmActionArns: [SNS] },
  { name: 'health', watches: 'consumer', alarmActionArns: [SNS] },
] as const;

/** A sound setup, as the construct deploys it by default (and the example stack): no rule finds anything. */
const SOUND: ConsumerSetup = {
  region: 'eu-west-1',
  queue: {
    name: 'orders',
    fifo: false,
    retentionSeconds: 4 * 86_400,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
  },
  deadLetterQueue: DLQ,
  runtimeDeadLetterQueueName: DLQ.name,
  mapping: MAPPING,
  consumer: { timeoutSeconds: 30 },
  attempts: { maxAttempts: 4, redelivery: 'copy' },
  retryHorizon: { totalSeconds: 600, description: 'T_total = 10 min' },
  callbackTopicArns: ['arn:aws:sns:eu-west-1:111122223333:callbacks'],
  idempotency: { expiresAfterSeconds: 86_400 },
  attemptLedger: { expiresAfterSeconds: 14 * 86_400 },
  consumerBreaker: { cooldownSeconds: 300, probeSeconds: 300 },
  redrive: REDRIVE,
  alarms: ALARMS,
};

/** Each rule, broken by one change to the sound setup: the finding names the prop to change. */
const BROKEN: readonly [rule: string, change: Partial<ConsumerSetup>, prop: string][] = [
  [
    'runtime-dead-letters-to-redrive-target',
    { runtimeDeadLetterQueueName: 'orders-failed' },
    'existingQueue.deadLetterQueue',
  ],
  [
    'runtime-configuration-valid',
    {
      configurationProblems: [
        { functionName: 'orders', variable: 'SQS_FAILSAFE_CONFIG', problems: ['is not valid JSON'] },
      ],
    },
    'failsafe',
  ],
  ['dead-letter-queue-configured', { deadLetterQueue: undefined }, 'maxReceiveCount'],
  [
    'reports-batch-item-failures',
    { mapping: { ...MAPPING, reportBatchItemFailures: false } },
    'consumerFunction',
  ],
  [
    'visibility-timeout-covers-invocations',
    { queue: { ...SOUND.queue, visibilityTimeoutSeconds: 60 } },
    'visibilityTimeout',
  ],
  ['max-receive-count-safety-net', { queue: { ...SOUND.queue, maxReceiveCount: 4 } }, 'maxReceiveCount'],
  [
    'max-receive-count-survives-throttles',
    { queue: { ...SOUND.queue, maxReceiveCount: 2 }, attempts: undefined, retryHorizon: undefined },
    'maxReceiveCount',
  ],
  [
    'mapping-filters-delete-messages',
    { mapping: { ...MAPPING, filterPatterns: ['{"body":{"type":["order"]}}'] } },
    'consumerFunction',
  ],
  [
    'retention-outlasts-retry-horizon',
    { queue: { ...SOUND.queue, retentionSeconds: 600 } },
    'retentionPeriod',
  ],
  [
    'dead-letter-retention-outlasts-source',
    { deadLetterQueue: { ...DLQ, retentionSeconds: 4 * 86_400 } },
    'deadLetterRetentionPeriod',
  ],
  [
    'breaker-pause-within-retention',
    { consumerBreaker: { cooldownSeconds: 5 * 86_400, probeSeconds: 300 } },
    'circuitBreaker.cooldown',
  ],
  [
    'reserved-concurrency-covers-mapping',
    { consumer: { timeoutSeconds: 30, reservedConcurrency: 5 } },
    'maxConcurrency',
  ],
  [
    'provisioned-mode-without-maximum-concurrency',
    {
      mapping: { ...MAPPING, provisionedPollers: { minimum: 2, maximum: 10 } },
      consumerBreaker: undefined,
    },
    'provisionedPollers',
  ],
  [
    'consumer-breaker-needs-on-demand-mode',
    {
      mapping: {
        ...MAPPING,
        maxConcurrency: undefined,
        provisionedPollers: { minimum: 2, maximum: 10 },
      },
    },
    'provisionedPollers',
  ],
  [
    'idempotency-outlasts-retry-horizon',
    { idempotency: { expiresAfterSeconds: 60 } },
    'idempotency.expiresAfter',
  ],
  [
    'attempt-ledger-outlasts-retry-horizon',
    { attemptLedger: { expiresAfterSeconds: 60 } },
    'failsafe.deadLetter.maxAttempts',
  ],
  [
    'callback-topics-in-region',
    { callbackTopicArns: ['arn:aws:sns:us-east-1:111122223333:callbacks'] },
    'failsafe.notifications.callbackTopicAllowList',
  ],
  [
    'dead-letter-queue-alarmed',
    { alarms: ALARMS.filter((alarm) => alarm.watches !== 'dead-letter-queue') },
    'alarms.deadLetterQueueNotEmpty',
  ],
  [
    'parking-queue-alarmed',
    { alarms: ALARMS.filter((alarm) => alarm.watches !== 'parking-queue') },
    'redrive.parkingQueue',
  ],
  [
    'skipped-dead-letter-alarm-looked-at-again',
    { redrive: { ...REDRIVE, recheckSeconds: undefined } },
    'redrive.scheduleInterval',
  ],
  [
    'someone-hears-of-trouble',
    { alarms: ALARMS.map((alarm) => ({ ...alarm, alarmActionArns: [LAMBDA] })) },
    'alarmActions',
  ],
];

describe('setup rules (lib/setupRules): one module for the construct at synth and doctor on an account', () => {
  it('find nothing in a sound setup', () => {
    expect(checkConsumerSetup(SOUND)).toEqual([]);
  });

  it('are each broken by exactly one case below, and each has an id, a severity, why and a reference', () => {
    expect(BROKEN.map(([rule]) => rule).sort()).toEqual(SETUP_RULES.map((rule) => rule.id).sort());
    const aws = readFileSync(new URL('../../../docs/aws-semantics.md', import.meta.url), 'utf8');
    for (const rule of SETUP_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(['error', 'warning']).toContain(rule.severity);
      expect(rule.why.length).toBeGreaterThan(20);
      const anchor = rule.reference.replace(/^docs\/aws-semantics\.md#/, '');
      expect(rule.reference).toMatch(/^docs\/aws-semantics\.md#[a-z0-9-]+$/);
      const headings = [...aws.matchAll(/^### (.+)$/gm)].map(([, title]) =>
        (title as string)
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      );
      expect(headings).toContain(anchor);
    }
  });

  it.each(BROKEN)('%s: finds the one change, naming %s', (rule, change, prop) => {
    const findings = checkConsumerSetup({ ...SOUND, ...change });
    expect(findings.map((finding) => [finding.rule, finding.prop])).toEqual([[rule, prop]]);
    const [finding] = findings;
    expect(finding?.problem).not.toBe('');
    expect(finding?.fix).not.toBe('');
  });

  it("size the queue's maxReceiveCount by attempts' formula, per redelivery mode and queue type", () => {
    const safetyNet = (change: Partial<ConsumerSetup>) =>
      checkConsumerSetup(
        { ...SOUND, ...change },
        SETUP_RULES.filter((rule) => rule.id === 'max-receive-count-safety-net'),
      ).map((finding) => [finding.prop, finding.fix]);
    const queue = (maxReceiveCount: number, fifo = false) => ({
      queue: { ...SOUND.queue, maxReceiveCount, fifo },
    });
    const visibility = { attempts: { maxAttempts: 4, redelivery: 'visibility' as const } };
    // Copies restart the receive count: 1 + 4.
    expect(safetyNet(queue(5))).toEqual([]);
    expect(safetyNet(queue(4))).toEqual([
      [
        'maxReceiveCount',
        'raise maxReceiveCount to at least 5 (1 + 4 (copies restart the receive count)), or leave it unset',
      ],
    ]);
    // In place: A + 4.
    expect(safetyNet({ ...queue(8), ...visibility })).toEqual([]);
    expect(safetyNet({ ...queue(7), ...visibility })).toEqual([
      ['maxReceiveCount', 'raise maxReceiveCount to at least 8 (maxAttempts + 4 = 4 + 4), or leave it unset'],
    ]);
    // FIFO: B·(A + 1) − 1 + 4, whatever redelivery says.
    expect(safetyNet(queue(53, true))).toEqual([]);
    expect(safetyNet(queue(52, true))).toEqual([
      [
        'maxReceiveCount',
        'raise maxReceiveCount to at least 53 (batchSize × (maxAttempts + 1) − 1 + 4 = 10 × (4 + 1) − 1 + 4), or leave it unset',
      ],
    ]);
    // Beyond SQS's 1000 no maxReceiveCount helps: the attempts are what to change.
    expect(
      safetyNet({ ...queue(1_000, true), attempts: { maxAttempts: 99, redelivery: 'visibility' } }),
    ).toEqual([
      [
        'failsafe.deadLetter.maxAttempts',
        'lower failsafe.deadLetter.maxAttempts to at most 98 with batchSize 10, or lower batchSize',
      ],
    ]);
  });

  it('say nothing about what the setup does not know', () => {
    const unknown: ConsumerSetup = {
      queue: { name: 'orders', fifo: false, retentionSeconds: Number.NaN },
      consumer: { timeoutSeconds: 30 },
      deadLetterQueue: { name: 'dlq', fifo: false, retentionSeconds: Number.NaN },
    };
    expect(checkConsumerSetup(unknown)).toEqual([]);
  });

  it('tell an action that reaches a person from automation by its service', () => {
    expect(
      [
        SNS,
        'arn:aws:ssm:eu-west-1:111122223333:opsitem:3',
        'arn:aws:ssm-incidents::111122223333:response-plan/x',
      ].map(alarmActionReachesPeople),
    ).toEqual([true, true, true]);
    expect(
      [
        LAMBDA,
        'arn:aws:automate:eu-west-1:ec2:stop',
        'arn:aws:autoscaling:eu-west-1:111122223333:scalingPolicy:x',
      ].map(alarmActionReachesPeople),
    ).toEqual([false, false, false]);
  });

  it('weigh the reserved concurrency against what sets the mapping’s ceiling', () => {
    const reserved = (reservedConcurrency: number, mapping: Partial<Mapping>) =>
      checkConsumerSetup({
        ...SOUND,
        consumerBreaker: undefined,
        consumer: { timeoutSeconds: 30, reservedConcurrency },
        mapping: { ...MAPPING, ...mapping },
      }).map((finding) => finding.problem);
    expect(reserved(10, { maxConcurrency: 10 })).toEqual([]);
    expect(reserved(100, { maxConcurrency: undefined })).toEqual([
      expect.stringContaining('1250 invocations at once (no maxConcurrency'),
    ]);
    expect(
      reserved(30, { maxConcurrency: undefined, provisionedPollers: { minimum: 2, maximum: 5 } }),
    ).toEqual([expect.stringContaining('50 invocations at once (provisionedPollers.maximum (5) × 10)')]);
    expect(reserved(0, {})).toEqual(['a reserved concurrency of 0 throttles every invocation']);
  });
});
