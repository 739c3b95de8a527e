import type { InvalidConsumerSettingsError } from '../consumer/settings/InvalidConsumerSettingsError.js';
import { CONTEXT_PREFIX, type ExampleContext } from './exampleContext.js';

/**
 * Which context key feeds which FailsafeConsumer prop (ExampleStack), so that a value the construct refuses is
 * reported by the key the user set. A prop path matches its entry or anything under it; the longest entry wins.
 */
const CONTEXT_KEY_OF_PROP: Readonly<Record<string, keyof ExampleContext>> = {
  fifo: 'fifo',
  retentionPeriod: 'retentionDays',
  deadLetterRetentionPeriod: 'deadLetterRetentionDays',
  timeout: 'functionTimeoutSeconds',
  memorySize: 'memorySize',
  batchSize: 'batchSize',
  maxBatchingWindow: 'maxBatchingWindowSeconds',
  maxConcurrency: 'maxConcurrency',
  // The attempts, and the queue's maxReceiveCount sized from them, follow the schedule.
  maxReceiveCount: 'redeliveryScheduleSeconds',
  'failsafe.redeliveryBackoff': 'redeliveryScheduleSeconds',
  'failsafe.deadLetter.maxAttempts': 'redeliveryScheduleSeconds',
  'failsafe.deadLetter.maxAgeSeconds': 'maxAgeSeconds',
  'failsafe.notifications.events': 'notificationEvents',
  'failsafe.notifications.includeBody': 'includeBody',
  oldestMessageAgeThreshold: 'oldestMessageAgeAlarmSeconds',
  consumerErrorsThreshold: 'consumerErrorsAlarmThreshold',
  consumerThrottlesThreshold: 'consumerThrottlesAlarmThreshold',
  'redrive.cooldown': 'redriveCooldownSeconds',
  'redrive.maxMessagesPerRun': 'redriveMaxMessagesPerRun',
  'redrive.ratePerSecond': 'redriveRatePerSecond',
  'redrive.maxRedrivesPerMessage': 'redriveMaxRedrivesPerMessage',
  'redrive.continuation': 'redriveContinuation',
  'redrive.parkingQueue': 'redriveParkingQueue',
  'circuitBreaker.threshold': 'breakerThreshold',
  'circuitBreaker.failureRatePercent': 'breakerFailureRatePercent',
  'circuitBreaker.period': 'breakerPeriodSeconds',
  'circuitBreaker.evaluationPeriods': 'breakerEvaluationPeriods',
  'circuitBreaker.datapointsToAlarm': 'breakerDatapointsToAlarm',
  'circuitBreaker.cooldown': 'breakerCooldownSeconds',
  'circuitBreaker.halfOpenConcurrency': 'breakerHalfOpenConcurrency',
  'circuitBreaker.probeInterval': 'breakerProbeSeconds',
  'idempotency.keyPath': 'idempotencyKeyPath',
  'idempotency.expiresAfter': 'idempotencyExpiresAfterSeconds',
};

/** The context key a prop path was set from; undefined for props the example sets itself. */
export function contextKeyOfProp(prop: string): keyof ExampleContext | undefined {
  const entry = Object.keys(CONTEXT_KEY_OF_PROP)
    .filter((key) => prop === key || prop.startsWith(`${key}.`) || prop.startsWith(`${key}[`))
    .sort((a, b) => b.length - a.length)[0];
  return entry === undefined ? undefined : CONTEXT_KEY_OF_PROP[entry];
}

/**
 * The construct's refusal in the example's terms: each problem named by the context key that set it (the prop
 * in brackets), so that `-c sqs-failsafe:batchSize=20` is answered about `sqs-failsafe:batchSize`.
 */
export function exampleSettingsError(error: InvalidConsumerSettingsError): Error {
  const lines = error.problems.map((problem) => {
    const key = contextKeyOfProp(problem.prop);
    const name = key === undefined ? problem.prop : `${CONTEXT_PREFIX}${key} (prop ${problem.prop})`;
    return `  - ${name} = ${problem.value}: ${problem.allowed}`;
  });
  return new Error(
    `sqs-failsafe example: ${lines.length} invalid context value(s); fix them in cdk.json or with -c\n${lines.join('\n')}`,
    { cause: error },
  );
}
