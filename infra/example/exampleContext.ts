import type { Node } from 'constructs';
import { NOTIFICATION_EVENT_TYPES, type NotificationEventType } from '../../lib/config/failsafeConfig.js';

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
  readonly faultInjection: boolean;
  readonly customerManagedKey: boolean;
}

/** Prefix of every context key of the example, so they cannot clash with CDK's own. */
export const CONTEXT_PREFIX = 'sqs-failsafe:';

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
  faultInjection: false,
  customerManagedKey: false,
};

/**
 * Reads every key, collecting the malformed ones into one error. Ranges are not checked here: the
 * construct checks them, with the retry math, and names the prop each key feeds.
 */
export function readExampleContext(node: Node): ExampleContext {
  const problems: string[] = [];
  const raw = (key: keyof ExampleContext): unknown => node.tryGetContext(CONTEXT_PREFIX + key);
  const fail = (key: keyof ExampleContext, value: unknown, expected: string) => {
    problems.push(`  - ${CONTEXT_PREFIX}${key} = ${JSON.stringify(value)}: expected ${expected}`);
  };

  const text = (key: 'stackName'): string => {
    const value = raw(key);
    if (value === undefined) return EXAMPLE_DEFAULTS[key];
    if (typeof value === 'string' && value.length > 0) return value;
    fail(key, value, 'a non-empty string');
    return EXAMPLE_DEFAULTS[key];
  };
  const flag = (key: 'fifo' | 'includeBody' | 'faultInjection' | 'customerManagedKey'): boolean => {
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
  const list = (key: 'redeliveryScheduleSeconds' | 'notificationEvents'): unknown[] | undefined => {
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
  const events = list('notificationEvents')?.map(String);
  for (const event of events ?? []) {
    if (!NOTIFICATION_EVENT_TYPES.includes(event as NotificationEventType)) {
      fail('notificationEvents', event, `each one of ${NOTIFICATION_EVENT_TYPES.join(', ')}`);
    }
  }

  const context: ExampleContext = {
    stackName: text('stackName'),
    fifo: flag('fifo'),
    retentionDays: number('retentionDays'),
    deadLetterRetentionDays: number('deadLetterRetentionDays'),
    functionTimeoutSeconds: number('functionTimeoutSeconds'),
    memorySize: number('memorySize'),
    batchSize: number('batchSize'),
    maxBatchingWindowSeconds: number('maxBatchingWindowSeconds'),
    maxConcurrency: number('maxConcurrency', true),
    redeliveryScheduleSeconds: schedule ?? EXAMPLE_DEFAULTS.redeliveryScheduleSeconds,
    maxAgeSeconds: number('maxAgeSeconds', true),
    notificationEvents:
      (events as NotificationEventType[] | undefined) ?? EXAMPLE_DEFAULTS.notificationEvents,
    includeBody: flag('includeBody'),
    oldestMessageAgeAlarmSeconds: number('oldestMessageAgeAlarmSeconds', true),
    consumerErrorsAlarmThreshold: number('consumerErrorsAlarmThreshold'),
    consumerThrottlesAlarmThreshold: number('consumerThrottlesAlarmThreshold'),
    faultInjection: flag('faultInjection'),
    customerManagedKey: flag('customerManagedKey'),
  };
  if (problems.length > 0) {
    throw new Error(
      `sqs-failsafe example: ${problems.length} malformed context value(s)\n${problems.join('\n')}`,
    );
  }
  return context;
}

type NumberKey = {
  [K in keyof ExampleContext]: ExampleContext[K] extends number | undefined ? K : never;
}[keyof ExampleContext];
