import type { BadInputCase } from './badInputCase.js';

/** Context values as `-c sqs-failsafe:<key>=<value>` gives them: every one a string. */
export type CommandLineContext = Readonly<Record<string, string>>;

const bad = (tried: string, key: string, context: CommandLineContext): BadInputCase<CommandLineContext> => ({
  tried,
  names: `sqs-failsafe:${key}`,
  input: context,
});

/**
 * Bad context values of the example app (cdk.json or `-c`): each must fail synth with an error naming the key,
 * whether the value cannot be read (a word where a number goes) or the construct refuses what it becomes.
 */
export const EXAMPLE_CONTEXT_CASES: readonly BadInputCase<CommandLineContext>[] = [
  bad('a misspelt key', 'batchsize', { batchsize: '5' }),
  bad('an unknown key', 'retries', { retries: '3' }),
  bad('an empty stack name', 'stackName', { stackName: '' }),
  bad('fifo as a word', 'fifo', { fifo: 'yes' }),
  bad('a retention as a word', 'retentionDays', { retentionDays: 'four' }),
  bad('a negative retention', 'retentionDays', { retentionDays: '-1' }),
  bad('a retention of 15 days', 'retentionDays', { retentionDays: '15' }),
  bad('a retention under a minute', 'retentionDays', { retentionDays: '0.0001' }),
  bad('a DLQ retention shorter than the queue’s', 'deadLetterRetentionDays', {
    deadLetterRetentionDays: '2',
  }),
  bad('a function timeout of 0 s', 'functionTimeoutSeconds', { functionTimeoutSeconds: '0' }),
  bad('a function timeout of an hour', 'functionTimeoutSeconds', { functionTimeoutSeconds: '3600' }),
  bad('64 MB of memory', 'memorySize', { memorySize: '64' }),
  bad('a batch size of ten', 'batchSize', { batchSize: 'ten' }),
  bad('a batch size of 0', 'batchSize', { batchSize: '0' }),
  bad('a batch size of 20 on FIFO', 'batchSize', { fifo: 'true', batchSize: '20' }),
  bad('a batching window of 301 s', 'maxBatchingWindowSeconds', { maxBatchingWindowSeconds: '301' }),
  bad('a maxConcurrency of 1', 'maxConcurrency', { maxConcurrency: '1' }),
  bad('a decreasing redelivery schedule', 'redeliveryScheduleSeconds', {
    redeliveryScheduleSeconds: '60,10',
  }),
  bad('a redelivery schedule of words', 'redeliveryScheduleSeconds', { redeliveryScheduleSeconds: 'a,b' }),
  bad('a redelivery wait over 12 h', 'redeliveryScheduleSeconds', { redeliveryScheduleSeconds: '50000' }),
  bad('a max age of 0', 'maxAgeSeconds', { maxAgeSeconds: '0' }),
  bad('an unknown event type', 'notificationEvents', { notificationEvents: 'message.lost' }),
  bad('includeBody as a word', 'includeBody', { includeBody: 'maybe' }),
  bad('a negative oldest-message alarm', 'oldestMessageAgeAlarmSeconds', {
    oldestMessageAgeAlarmSeconds: '-5',
  }),
  bad('an oldest-message alarm past the retention', 'oldestMessageAgeAlarmSeconds', {
    oldestMessageAgeAlarmSeconds: '1000000',
  }),
  bad('a consumer-errors threshold of 0', 'consumerErrorsAlarmThreshold', {
    consumerErrorsAlarmThreshold: '0',
  }),
  bad('a throttles threshold of 0.5', 'consumerThrottlesAlarmThreshold', {
    consumerThrottlesAlarmThreshold: '0.5',
  }),
  bad('a malformed alarm email', 'alarmEmails', { alarmEmails: 'ops-at-example' }),
  bad('redrive as a word', 'redrive', { redrive: 'sometimes' }),
  bad('a redrive cooldown of 8 days', 'redriveCooldownSeconds', { redriveCooldownSeconds: '691200' }),
  bad('0 messages per redrive run', 'redriveMaxMessagesPerRun', { redriveMaxMessagesPerRun: '0' }),
  bad('a redrive rate of 0', 'redriveRatePerSecond', { redriveRatePerSecond: '0' }),
  bad('a redrive cap of 0', 'redriveMaxRedrivesPerMessage', { redriveMaxRedrivesPerMessage: '0' }),
  bad('an unknown continuation', 'redriveContinuation', { redriveContinuation: 'later' }),
  bad('circuitBreaker as a word', 'circuitBreaker', { circuitBreaker: 'on' }),
  bad('a breaker threshold of 0', 'breakerThreshold', { breakerThreshold: '0' }),
  bad('a failure rate of 150 %', 'breakerFailureRatePercent', { breakerFailureRatePercent: '150' }),
  bad('a breaker period of 90 s', 'breakerPeriodSeconds', { breakerPeriodSeconds: '90' }),
  bad('0 evaluation periods', 'breakerEvaluationPeriods', { breakerEvaluationPeriods: '0' }),
  bad('more datapoints than periods', 'breakerDatapointsToAlarm', { breakerDatapointsToAlarm: '9' }),
  bad('a breaker cooldown of 0 s', 'breakerCooldownSeconds', { breakerCooldownSeconds: '0' }),
  bad('a breaker cooldown that outlasts the retention', 'breakerCooldownSeconds', {
    retentionDays: '0.05',
    deadLetterRetentionDays: '1',
    breakerCooldownSeconds: '86400',
  }),
  bad('a half-open concurrency of 1', 'breakerHalfOpenConcurrency', { breakerHalfOpenConcurrency: '1' }),
  bad('a probe every 30 s', 'breakerProbeSeconds', { breakerProbeSeconds: '30' }),
  bad('an idempotency key path with an empty segment', 'idempotencyKeyPath', {
    idempotency: 'true',
    idempotencyKeyPath: 'task..id',
  }),
  bad('an idempotency expiry shorter than the retry horizon', 'idempotencyExpiresAfterSeconds', {
    idempotency: 'true',
    idempotencyExpiresAfterSeconds: '60',
  }),
  bad('effectsTable as a word', 'effectsTable', { effectsTable: 'please' }),
];
