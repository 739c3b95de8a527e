import type { Node } from 'constructs';
import { NOTIFICATION_EVENT_TYPES, type NotificationEventType } from '../../lib/config/batchConfig.js';
import type { RedriveContinuation } from '../../lib/config/redriveConfig.js';
import { isEmailAddress } from '../alerts/AlertTopic.js';

/**
 * The example app's settings, read from `cdk.json` context (or `-c key=value`, where every value arrives
 * as a string). Every key is documented in docs/deploy.md, "Context keys".
 */
export interface ExampleContext {
  readonly stackName: string;
  readonly fifo: boolean;
  readonly retentionDays: number;
  readonly deadLetterRetentionDays: number;
  readonly functionTimeoutSeconds: number;
  readonly memorySize: number;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly maxConcurrency: number | undefined;
  readonly redeliveryScheduleSeconds: readonly number[];
  readonly maxAgeSeconds: number | undefined;
  readonly notificationEvents: readonly NotificationEventType[];
  readonly includeBody: boolean;
  readonly oldestMessageAgeAlarmSeconds: number | undefined;
  readonly consumerErrorsAlarmThreshold: number;
  readonly consumerThrottlesAlarmThreshold: number;
  readonly alarmEmails: readonly string[];
  readonly faultInjection: boolean;
  readonly customerManagedKey: boolean;
  readonly redrive: boolean;
  readonly redriveCooldownSeconds: number;
  readonly redriveMaxMessagesPerRun: number;
  readonly redriveRatePerSecond: number;
  readonly redriveMaxRedrivesPerMessage: number;
  readonly redriveContinuation: RedriveContinuation;
  readonly redriveParkingQueue: boolean;
  readonly circuitBreaker: boolean;
  readonly breakerThreshold: number;
  readonly breakerFailureRatePercent: number;
  readonly breakerPeriodSeconds: number;
  readonly breakerEvaluationPeriods: number;
  readonly breakerDatapointsToAlarm: number;
  readonly breakerCooldownSeconds: number;
  readonly breakerHalfOpenConcurrency: number;
  readonly breakerProbeSeconds: number;
  readonly idempotency: boolean;
  readonly idempotencyKeyPath: string | undefined;
  readonly idempotencyExpiresAfterSeconds: number;
  readonly effectsTable: boolean;
  /** `queue`: producers send to the work queue; `fanout`: they publish to a topic the queue is subscribed to. */
  readonly topology: ExampleTopology;
}

/** How tasks reach the worker's queue. */
export type ExampleTopology = 'queue' | 'fanout';

/** Prefix of every context key of the example, so they cannot clash with CDK's own. */
export const CONTEXT_PREFIX = 'sqs-failsafe:';

/** Keys renamed since they were documented, still read under their old name so a command line keeps working. */
const FORMER_KEYS: Readonly<Partial<Record<keyof ExampleContext, string>>> = {
  breakerCooldownSeconds: 'breakerCoolDownSeconds',
};

/** The defaults, which cdk.json repeats so that every key is visible there. */
export const EXAMPLE_DEFAULTS: ExampleContext = {
  stackName: 'SqsFailsafeExample',
  fifo: false,
  retentionDays: 4,
  deadLetterRetentionDays: 14,
  functionTimeoutSeconds: 30,
  memorySize: 256,
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  maxConcurrency: 5,
  redeliveryScheduleSeconds: [10, 60, 300, 900],
  maxAgeSeconds: 86_400,
  notificationEvents: ['message.dead-lettered', 'message.failed'],
  includeBody: false,
  oldestMessageAgeAlarmSeconds: undefined,
  consumerErrorsAlarmThreshold: 1,
  consumerThrottlesAlarmThreshold: 1,
  alarmEmails: [],
  faultInjection: false,
  customerManagedKey: false,
  redrive: true,
  redriveCooldownSeconds: 900,
  redriveMaxMessagesPerRun: 10_000,
  redriveRatePerSecond: 100,
  redriveMaxRedrivesPerMessage: 3,
  redriveContinuation: 'self-invoke',
  redriveParkingQueue: false,
  circuitBreaker: true,
  breakerThreshold: 10,
  breakerFailureRatePercent: 50,
  breakerPeriodSeconds: 60,
  breakerEvaluationPeriods: 3,
  breakerDatapointsToAlarm: 2,
  breakerCooldownSeconds: 300,
  breakerHalfOpenConcurrency: 2,
  breakerProbeSeconds: 300,
  idempotency: false,
  idempotencyKeyPath: 'taskId',
  idempotencyExpiresAfterSeconds: 86_400,
  effectsTable: false,
  topology: 'queue',
};

const TOPOLOGIES: readonly ExampleTopology[] = ['queue', 'fanout'];

/** The redrive continuations, as the context accepts them. */
const CONTINUATIONS: readonly RedriveContinuation[] = ['self-invoke', 'schedule'];

/**
 * Reads every key, collecting the malformed ones into one error. Ranges are not checked here: the
 * construct checks them, with the retry math, and names the prop each key feeds.
 */
export function readExampleContext(node: Node): ExampleContext {
  const problems: string[] = [];
  const raw = (key: keyof ExampleContext): unknown => {
    const value = node.tryGetContext(CONTEXT_PREFIX + key);
    const former = FORMER_KEYS[key];
    return value === undefined && former !== undefined ? node.tryGetContext(CONTEXT_PREFIX + former) : value;
  };
  const fail = (key: keyof ExampleContext, value: unknown, expected: string) => {
    problems.push(`  - ${CONTEXT_PREFIX}${key} = ${JSON.stringify(value)}: expected ${expected}`);
  };

  const text = <K extends 'stackName' | 'idempotencyKeyPath'>(
    key: K,
    optional = false,
  ): ExampleContext[K] => {
    const value = raw(key);
    if (value === undefined) return EXAMPLE_DEFAULTS[key];
    if (optional && (value === null || value === 'null')) return undefined as ExampleContext[K];
    if (typeof value === 'string' && value.length > 0) return value;
    fail(key, value, optional ? 'a non-empty string, or null for the default' : 'a non-empty string');
    return EXAMPLE_DEFAULTS[key];
  };
  /** One of a few words (`choices`); anything else is a problem naming them. */
  const choice = <K extends 'redriveContinuation' | 'topology'>(
    key: K,
    choices: readonly ExampleContext[K][],
  ): ExampleContext[K] => {
    const value = raw(key);
    if (value === undefined) return EXAMPLE_DEFAULTS[key];
    const chosen = choices.find((each) => each === value);
    if (chosen !== undefined) return chosen;
    fail(key, value, choices.map((each) => `"${each}"`).join(' or '));
    return EXAMPLE_DEFAULTS[key];
  };
  const flag = (key: FlagKey): boolean => {
    const value = raw(key);
    if (value === undefined) return EXAMPLE_DEFAULTS[key];
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    fail(key, value, 'true or false');
    return EXAMPLE_DEFAULTS[key];
  };
  const number = <K extends NumberKey>(key: K, optional = false): ExampleContext[K] => {
    const value = raw(key);
    if (value === undefined) return EXAMPLE_DEFAULTS[key];
    if (optional && (value === null || value === 'null' || value === ''))
      return undefined as ExampleContext[K];
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof parsed === 'number' && Number.isFinite(parsed)) return parsed as ExampleContext[K];
    fail(key, value, optional ? 'a number, or null for the default' : 'a number');
    return EXAMPLE_DEFAULTS[key];
  };
  // A length of time becomes a Duration, which cannot be negative: said here, naming the key.
  const duration = <K extends NumberKey>(
    key: K,
    unit: 'seconds' | 'days',
    optional = false,
  ): ExampleContext[K] => {
    const value = number(key, optional);
    if (typeof value !== 'number' || value >= 0) return value;
    fail(key, raw(key), `a number of ${unit}, 0 or more`);
    return EXAMPLE_DEFAULTS[key];
  };
  const list = (
    key: 'redeliveryScheduleSeconds' | 'notificationEvents' | 'alarmEmails',
  ): unknown[] | undefined => {
    const value = raw(key);
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return value;
    if (typeof value === 'string')
      return value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    fail(key, value, 'a list (JSON array, or comma-separated with -c)');
    return undefined;
  };

  const schedule = list('redeliveryScheduleSeconds')?.map(Number);
  if (schedule?.some((wait) => !Number.isFinite(wait))) {
    fail('redeliveryScheduleSeconds', raw('redeliveryScheduleSeconds'), 'a list of numbers of seconds');
  }
  const emails = list('alarmEmails')?.map(String);
  for (const email of emails ?? []) {
    if (!isEmailAddress(email)) fail('alarmEmails', email, 'each an email address, such as ops@example.com');
  }
  const events = list('notificationEvents')?.map(String);
  for (const event of events ?? []) {
    if (!NOTIFICATION_EVENT_TYPES.includes(event as NotificationEventType)) {
      fail('notificationEvents', event, `each one of ${NOTIFICATION_EVENT_TYPES.join(', ')}`);
    }
  }

  // A misspelt key would otherwise be ignored without a word, and its default used.
  const known = new Set<string>([...Object.keys(EXAMPLE_DEFAULTS), ...Object.values(FORMER_KEYS)]);
  for (const [name, value] of Object.entries(node.getAllContext())) {
    if (!name.startsWith(CONTEXT_PREFIX) || known.has(name.slice(CONTEXT_PREFIX.length))) continue;
    const key = name.slice(CONTEXT_PREFIX.length);
    const meant = [...known].find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    problems.push(
      `  - ${name} = ${JSON.stringify(value)}: not a context key of the example` +
        (meant === undefined ? ' (docs/deploy.md lists them)' : `; did you mean ${CONTEXT_PREFIX}${meant}?`),
    );
  }

  const context: ExampleContext = {
    stackName: text('stackName'),
    fifo: flag('fifo'),
    retentionDays: duration('retentionDays', 'days'),
    deadLetterRetentionDays: duration('deadLetterRetentionDays', 'days'),
    functionTimeoutSeconds: duration('functionTimeoutSeconds', 'seconds'),
    memorySize: number('memorySize'),
    batchSize: number('batchSize'),
    maxBatchingWindowSeconds: duration('maxBatchingWindowSeconds', 'seconds'),
    maxConcurrency: number('maxConcurrency', true),
    redeliveryScheduleSeconds: schedule ?? EXAMPLE_DEFAULTS.redeliveryScheduleSeconds,
    maxAgeSeconds: number('maxAgeSeconds', true),
    notificationEvents:
      (events as NotificationEventType[] | undefined) ?? EXAMPLE_DEFAULTS.notificationEvents,
    includeBody: flag('includeBody'),
    oldestMessageAgeAlarmSeconds: duration('oldestMessageAgeAlarmSeconds', 'seconds', true),
    consumerErrorsAlarmThreshold: number('consumerErrorsAlarmThreshold'),
    consumerThrottlesAlarmThreshold: number('consumerThrottlesAlarmThreshold'),
    alarmEmails: emails ?? EXAMPLE_DEFAULTS.alarmEmails,
    faultInjection: flag('faultInjection'),
    customerManagedKey: flag('customerManagedKey'),
    redrive: flag('redrive'),
    redriveCooldownSeconds: duration('redriveCooldownSeconds', 'seconds'),
    redriveMaxMessagesPerRun: number('redriveMaxMessagesPerRun'),
    redriveRatePerSecond: number('redriveRatePerSecond'),
    redriveMaxRedrivesPerMessage: number('redriveMaxRedrivesPerMessage'),
    redriveContinuation: choice('redriveContinuation', CONTINUATIONS),
    redriveParkingQueue: flag('redriveParkingQueue'),
    circuitBreaker: flag('circuitBreaker'),
    breakerThreshold: number('breakerThreshold'),
    breakerFailureRatePercent: number('breakerFailureRatePercent'),
    breakerPeriodSeconds: duration('breakerPeriodSeconds', 'seconds'),
    breakerEvaluationPeriods: number('breakerEvaluationPeriods'),
    breakerDatapointsToAlarm: number('breakerDatapointsToAlarm'),
    breakerCooldownSeconds: duration('breakerCooldownSeconds', 'seconds'),
    breakerHalfOpenConcurrency: number('breakerHalfOpenConcurrency'),
    breakerProbeSeconds: duration('breakerProbeSeconds', 'seconds'),
    idempotency: flag('idempotency'),
    idempotencyKeyPath: text('idempotencyKeyPath', true),
    idempotencyExpiresAfterSeconds: duration('idempotencyExpiresAfterSeconds', 'seconds'),
    effectsTable: flag('effectsTable'),
    topology: choice('topology', TOPOLOGIES),
  };
  if (problems.length > 0) {
    throw new Error(
      `sqs-failsafe example: ${problems.length} malformed context value(s)\n${problems.join('\n')}`,
    );
  }
  return context;
}

type FlagKey = {
  [K in keyof ExampleContext]: ExampleContext[K] extends boolean ? K : never;
}[keyof ExampleContext];

type NumberKey = {
  [K in keyof ExampleContext]: ExampleContext[K] extends number | undefined ? K : never;
}[keyof ExampleContext];
