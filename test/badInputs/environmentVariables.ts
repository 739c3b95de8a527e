import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import { CONSUMER_BREAKER_CONFIG_ENV_VAR } from '../../lib/config/consumerBreakerConfig.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../lib/config/redriveConfig.js';
import type { BadInputCase } from './badInputCase.js';

/** A function's configuration variable as a hand-wired deployment sets it (undefined: not set). */
export interface VariableInput {
  readonly variable: string;
  readonly value: string | undefined;
}

const DLQ = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq';
const WORK = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:outcomes';
const MAPPING = '6f1e0c3a-2b4d-4e5f-8a9b-0c1d2e3f4a5b';

const as = (variable: string, valid: object) => (tried: string, names: string, value: unknown) =>
  ({
    tried,
    names,
    input: {
      variable,
      value:
        value === undefined
          ? undefined
          : typeof value === 'string'
            ? value
            : JSON.stringify({ ...valid, ...value }),
    },
  }) satisfies BadInputCase<VariableInput>;
const worker = as(BATCH_CONFIG_ENV_VAR, {});
const redrive = as(REDRIVE_CONFIG_ENV_VAR, { dlqUrl: DLQ, sourceQueueUrl: WORK });
const breaker = as(CONSUMER_BREAKER_CONFIG_ENV_VAR, {
  mappingUuid: MAPPING,
  alarmName: 'orders-transient-failures',
});

/**
 * Bad configuration variables of functions wired by hand (no construct to check them at synth): each must stop
 * the function at cold start, before it touches a message, with an InvalidOptionsError naming the variable and
 * the key. (Functions the construct configures never get one: their configurations are checked at synth.)
 */
export const ENVIRONMENT_VARIABLE_CASES: readonly BadInputCase<VariableInput>[] = [
  // SQS_FAILSAFE_CONFIG, read by every consumer (readBatchConfig)
  worker('not JSON', BATCH_CONFIG_ENV_VAR, '{concurrency: 2}'),
  worker('a list', 'options', '[]'),
  worker('a number', 'options', '7'),
  worker('version 2', 'version', { version: 2 }),
  worker('an unknown key', 'retries', { retries: 3 }),
  worker('a record concurrency of 0', 'concurrency', { concurrency: 0 }),
  worker('a negative safety margin', 'safetyMarginMs', { safetyMarginMs: -5 }),
  worker('an unknown FIFO mode', 'fifoMode', { fifoMode: 'fast' }),
  worker('retry as a number', 'retry', { retry: 3 }),
  worker('retry.maxAttempts 0', 'retry.maxAttempts', { retry: { maxAttempts: 0 } }),
  worker('a decreasing retry schedule', 'retry.scheduleMs', { retry: { scheduleMs: [500, 100] } }),
  worker('a retry budget ratio of 2', 'retry.budget.ratio', { retry: { budget: { ratio: 2 } } }),
  worker('a decreasing redelivery schedule', 'redeliveryBackoff.scheduleSeconds', {
    redeliveryBackoff: { scheduleSeconds: [60, 10] },
  }),
  worker('a schedule mixed with exponential fields', 'redeliveryBackoff', {
    redeliveryBackoff: { scheduleSeconds: [10], baseSeconds: 5 },
  }),
  worker('a dead-letter routing without a queue', 'deadLetter.queueUrl', { deadLetter: {} }),
  worker('a DLQ URL that is no queue URL', 'deadLetter.queueUrl', { deadLetter: { queueUrl: 'orders-dlq' } }),
  worker('a runtime dead-letter receive of 0', 'deadLetter.maxReceiveCount', {
    deadLetter: { queueUrl: DLQ, maxReceiveCount: 0 },
  }),
  worker('a topic ARN of *', 'notifications.topicArn', { notifications: { topicArn: '*' } }),
  worker('a callback allow-list of *', 'notifications.callbackTopicAllowList.0', {
    notifications: { topicArn: TOPIC, callbackTopicAllowList: ['*'] },
  }),
  worker('an unknown event type', 'notifications.events.0', {
    notifications: { topicArn: TOPIC, events: ['message.lost'] },
  }),
  worker('a dependency breaker of 5', 'dependencyBreaker', { dependencyBreaker: 5 }),
  worker('idempotency as true', 'idempotency', { idempotency: true }),
  worker('an idempotency table name of one letter', 'idempotency.tableName', {
    idempotency: { tableName: 'x' },
  }),
  worker('an idempotency key path with a space', 'idempotency.keyPath', {
    idempotency: { tableName: 'orders', keyPath: 'order id' },
  }),

  // SQS_FAILSAFE_REDRIVE_CONFIG, read by the redrive function (readRedriveConfig)
  redrive('not set', REDRIVE_CONFIG_ENV_VAR, undefined),
  redrive('not JSON', REDRIVE_CONFIG_ENV_VAR, 'dlqUrl=orders-dlq'),
  redrive('a list', 'options', '[]'),
  redrive('no DLQ', 'dlqUrl', '{}'),
  redrive('the DLQ as its own source', 'sourceQueueUrl', { sourceQueueUrl: DLQ }),
  redrive('a FIFO source for a standard DLQ', 'sourceQueueUrl', { sourceQueueUrl: `${WORK}.fifo` }),
  redrive('a negative cooldown', 'cooldownSeconds', { cooldownSeconds: -1 }),
  redrive('an unknown continuation', 'continuation', { continuation: 'later' }),
  redrive('a safety margin of 1 s', 'safetyMarginMs', { safetyMarginMs: 1_000 }),
  redrive('a return threshold of 0', 'circuitBreaker.returnThreshold', {
    circuitBreaker: { returnThreshold: 0 },
  }),
  redrive('the same alarm for health and DLQ', 'dlqAlarmName', { healthAlarmName: 'a', dlqAlarmName: 'a' }),
  redrive('a parking queue that is the source', 'parkingQueueUrl', { parkingQueueUrl: WORK }),
  redrive('an unknown key', 'cooldown', { cooldown: 900 }),

  // SQS_FAILSAFE_BREAKER_CONFIG, read by the breaker controller (readConsumerBreakerConfig)
  breaker('not set', CONSUMER_BREAKER_CONFIG_ENV_VAR, undefined),
  breaker('not JSON', CONSUMER_BREAKER_CONFIG_ENV_VAR, 'mappingUuid'),
  breaker('no mapping', 'mappingUuid', JSON.stringify({ alarmName: 'orders' })),
  breaker('a mapping id that is no UUID', 'mappingUuid', { mappingUuid: 'orders-mapping' }),
  breaker('a cooldown of 0 s', 'coolDownSeconds', { coolDownSeconds: 0 }),
  breaker('a half-open concurrency of 1', 'halfOpenConcurrency', { halfOpenConcurrency: 1 }),
  breaker('a full concurrency no higher than half-open', 'fullConcurrency', {
    halfOpenConcurrency: 5,
    fullConcurrency: 5,
  }),
  breaker('an unknown key', 'cooldown', { cooldown: 300 }),
];
