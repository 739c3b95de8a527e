import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import type { BadInputCase } from './badInputCase.js';

/** Props for one consumer in a test stack (some need constructs of that stack, such as a function). */
export type PropsInStack = (stack: Stack) => FailsafeConsumerProps;

const seconds = Duration.seconds;
const minutes = Duration.minutes;
const days = Duration.days;

const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:111122223333:orders';
const DLQ_ARN = 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq';
const PARTNER_TOPIC = 'arn:aws:sns:eu-west-1:444455556666:orders';

/** Existing queues, as a user adopts them (`existingQueue`), imported by ARN. */
export function existingQueues(
  stack: Stack,
  arns: { readonly queue?: string; readonly deadLetterQueue?: string } = {},
): { queue: sqs.IQueue; deadLetterQueue: sqs.IQueue } {
  return {
    queue: sqs.Queue.fromQueueArn(stack, 'Orders', arns.queue ?? QUEUE_ARN),
    deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'OrdersDlq', arns.deadLetterQueue ?? DLQ_ARN),
  };
}

const rule = (stack: Stack) => new events.Rule(stack, 'Rule', { eventPattern: { source: ['orders'] } });

/** An existing consumer function, as a user brings one. */
export function existingFunction(stack: Stack, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, 'Existing', {
    runtime: lambda.Runtime.NODEJS_24_X,
    code: lambda.Code.fromInline('export const handler = async () => ({ batchItemFailures: [] });'),
    handler: 'index.handler',
    timeout: seconds(30),
    ...props,
  });
}

const bad = (
  tried: string,
  names: string,
  props: FailsafeConsumerProps | PropsInStack,
  outcome: 'error' | 'warning' = 'error',
): BadInputCase<PropsInStack> => ({
  tried,
  names,
  input: typeof props === 'function' ? props : () => props,
  outcome,
});

/**
 * Bad FailsafeConsumer props: each must fail synth with an InvalidConsumerSettingsError naming the prop (or,
 * for `warning`, synthesize with a warning naming it). The first ones are the cases issue 14 tried.
 */
export const CONSTRUCT_PROP_CASES: readonly BadInputCase<PropsInStack>[] = [
  // ----- tried in issue 14: the construct accepted them, every invocation then threw at cold start -----
  bad('a decreasing redelivery schedule', 'failsafe.redeliveryBackoff.scheduleSeconds', {
    failsafe: { redeliveryBackoff: { scheduleSeconds: [60, 10] } },
  }),
  bad('a negative safety margin', 'failsafe.safetyMarginMs', { failsafe: { safetyMarginMs: -5 } }),
  bad('a record concurrency of 0', 'failsafe.concurrency', { failsafe: { concurrency: 0 } }),
  bad('a callback allow-list entry that is no ARN', 'failsafe.notifications.callbackTopicAllowList[0]', {
    failsafe: { notifications: { callbackTopicAllowList: ['not-an-arn'] } },
  }),
  bad('a callback allow-list of *', 'failsafe.notifications.callbackTopicAllowList[0]', {
    failsafe: { notifications: { callbackTopicAllowList: ['*'] } },
  }),
  bad('a wildcard topic ARN in the callback allow-list', 'failsafe.notifications.callbackTopicAllowList[0]', {
    failsafe: { notifications: { callbackTopicAllowList: ['arn:aws:sns:*:*:*'] } },
  }),
  bad('an unknown key in failsafe', 'failsafe.retries', { failsafe: { retries: 3 } as never }),
  bad('a breaker cooldown of a day on a queue that keeps messages for an hour', 'circuitBreaker.cooldown', {
    retentionPeriod: Duration.hours(1),
    deadLetterRetentionPeriod: days(1),
    circuitBreaker: { cooldown: days(1) },
  }),
  bad('a consumer reserved concurrency below maxConcurrency', 'maxConcurrency', (stack) => ({
    consumerFunction: existingFunction(stack, { reservedConcurrentExecutions: 5 }),
    maxConcurrency: 10,
  })),
  bad('idempotency that expires before the retry horizon', 'idempotency.expiresAfter', {
    idempotency: { expiresAfter: minutes(1) },
  }),
  bad(
    'a callback topic in another region',
    'failsafe.notifications.callbackTopicAllowList',
    {
      failsafe: {
        notifications: { callbackTopicAllowList: ['arn:aws:sns:us-east-1:111122223333:callbacks'] },
      },
    },
    'warning',
  ),
  bad('no alarm action that reaches a person', 'alarmActions', { alarmActions: [] }, 'warning'),
  bad('a visibility timeout below 6 × the function timeout', 'visibilityTimeout', {
    visibilityTimeout: seconds(60),
  }),
  bad('a DLQ that keeps messages no longer than the work queue', 'deadLetterRetentionPeriod', {
    retentionPeriod: days(4),
    deadLetterRetentionPeriod: days(4),
  }),
  bad('a retry horizon longer than the retention', 'retentionPeriod', {
    retentionPeriod: Duration.hours(1),
    deadLetterRetentionPeriod: days(1),
    failsafe: { redeliveryBackoff: { scheduleSeconds: [600, 1_800, 1_800] } },
  }),
  bad('a maxReceiveCount below the safety net (copies: 1 + 4)', 'maxReceiveCount', { maxReceiveCount: 4 }),
  bad('a maxReceiveCount below the safety net with redelivery in place', 'maxReceiveCount', {
    maxReceiveCount: 7,
    failsafe: { redelivery: 'visibility' },
  }),
  bad('a FIFO maxReceiveCount below the safety net', 'maxReceiveCount', { fifo: true, maxReceiveCount: 52 }),
  bad('more attempts than a FIFO maxReceiveCount can cover', 'failsafe.deadLetter.maxAttempts', {
    fifo: true,
    failsafe: { deadLetter: { maxAttempts: 99 } },
  }),
  bad('a reserved concurrency of 0', 'consumerFunction', (stack) => ({
    consumerFunction: existingFunction(stack, { reservedConcurrentExecutions: 0 }),
    circuitBreaker: false,
  })),
  bad(
    'a reserved concurrency with no maxConcurrency (the mapping scales to 1,250)',
    'maxConcurrency',
    (stack) => ({
      consumerFunction: existingFunction(stack, { reservedConcurrentExecutions: 100 }),
      circuitBreaker: false,
    }),
  ),

  // ----- queues -----
  bad('a retention of 30 s', 'retentionPeriod', { retentionPeriod: seconds(30) }),
  bad('a retention of 15 days', 'retentionPeriod', { retentionPeriod: days(15) }),
  bad('a DLQ retention of 15 days', 'deadLetterRetentionPeriod', { deadLetterRetentionPeriod: days(15) }),
  bad('a visibility timeout of 13 h', 'visibilityTimeout', { visibilityTimeout: Duration.hours(13) }),
  bad('a delivery delay of 16 min', 'deliveryDelay', { deliveryDelay: minutes(16) }),
  bad('a maxReceiveCount of 0', 'maxReceiveCount', { maxReceiveCount: 0 }),
  bad('a maxReceiveCount of 1001', 'maxReceiveCount', { maxReceiveCount: 1_001 }),
  bad('a maxReceiveCount shorter than the schedule', 'maxReceiveCount', {
    maxReceiveCount: 3,
    failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60, 300] } },
  }),
  bad('a queue name with a space', 'queueName', { queueName: 'my orders' }),
  bad('a FIFO queue name on a standard queue', 'queueName', { queueName: 'orders.fifo' }),
  bad('a standard DLQ name on a FIFO queue', 'deadLetterQueueName', {
    fifo: true,
    deadLetterQueueName: 'dlq',
  }),
  bad('content-based deduplication on a standard queue', 'contentBasedDeduplication', {
    contentBasedDeduplication: true,
  }),
  bad('a DLQ removal policy of SNAPSHOT', 'deadLetterRemovalPolicy', {
    deadLetterRemovalPolicy: RemovalPolicy.SNAPSHOT,
  }),

  // ----- consumer function and event source -----
  bad('a function timeout of 0 s', 'timeout', { timeout: seconds(0) }),
  bad('a function timeout of 16 min', 'timeout', { timeout: minutes(16) }),
  bad('64 MB of memory', 'memorySize', { memorySize: 64 }),
  bad('a Node.js 20 runtime', 'runtime', { runtime: lambda.Runtime.NODEJS_20_X }),
  bad('a Python runtime', 'runtime', { runtime: lambda.Runtime.PYTHON_3_13 }),
  bad('both entry and consumerFunction', 'entry', (stack) => ({
    entry: 'src/handler.ts',
    consumerFunction: existingFunction(stack),
  })),
  bad('a timeout with consumerFunction', 'timeout', (stack) => ({
    consumerFunction: existingFunction(stack),
    timeout: seconds(10),
  })),
  bad('a batch size of 0', 'batchSize', { batchSize: 0 }),
  bad('a batch size of 20 on FIFO', 'batchSize', { fifo: true, batchSize: 20 }),
  bad('a batch size of 10,001', 'batchSize', { batchSize: 10_001, maxBatchingWindow: seconds(1) }),
  bad('a batch size of 20 without a batching window', 'maxBatchingWindow', { batchSize: 20 }),
  bad('a batching window of 301 s', 'maxBatchingWindow', { maxBatchingWindow: seconds(301) }),
  bad('a batching window on FIFO', 'maxBatchingWindow', { fifo: true, maxBatchingWindow: seconds(5) }),
  bad('a maxConcurrency of 1', 'maxConcurrency', { maxConcurrency: 1 }),
  bad('a maxConcurrency of 1001', 'maxConcurrency', { maxConcurrency: 1_001 }),
  bad('provisioned pollers: a minimum of 1', 'provisionedPollers.minimum', {
    circuitBreaker: false,
    provisionedPollers: { minimum: 1 },
  }),
  bad('provisioned pollers: a maximum of 2,001', 'provisionedPollers.maximum', {
    circuitBreaker: false,
    provisionedPollers: { maximum: 2_001 },
  }),
  bad('provisioned pollers: a maximum below the minimum', 'provisionedPollers.maximum', {
    circuitBreaker: false,
    provisionedPollers: { minimum: 10, maximum: 5 },
  }),
  bad('provisioned pollers: a fractional minimum', 'provisionedPollers.minimum', {
    circuitBreaker: false,
    provisionedPollers: { minimum: 2.5 },
  }),
  bad('provisioned pollers: an unknown key', 'provisionedPollers.pollers', {
    circuitBreaker: false,
    provisionedPollers: { pollers: 3 } as never,
  }),
  bad('provisioned pollers with maxConcurrency', 'provisionedPollers', {
    circuitBreaker: false,
    maxConcurrency: 10,
    provisionedPollers: { minimum: 2, maximum: 10 },
  }),
  bad('provisioned pollers with the circuit breaker on', 'provisionedPollers', {
    provisionedPollers: { minimum: 2, maximum: 10 },
  }),
  bad('a reserved concurrency below provisioned pollers × 10', 'maxConcurrency', (stack) => ({
    consumerFunction: existingFunction(stack, { reservedConcurrentExecutions: 20 }),
    circuitBreaker: false,
    provisionedPollers: { minimum: 2, maximum: 5 },
  })),
  bad('mappingMetrics as a string', 'mappingMetrics', { mappingMetrics: 'yes' as never }),
  bad('tracing as a number', 'tracing', { tracing: 1 as never }),
  bad('more alarm actions than CloudWatch has room for', 'alarmActions', {
    alarmActions: Array.from({ length: 5 }, () => ({
      bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111122223333:ops' }),
    })),
  }),

  // ----- existing queues (existingQueue) -----
  bad('queueName with an existing queue', 'queueName', (stack) => ({
    existingQueue: existingQueues(stack),
    queueName: 'orders',
  })),
  bad('fifo: true on an existing standard queue', 'fifo', (stack) => ({
    existingQueue: existingQueues(stack),
    fifo: true,
  })),
  bad('a standard DLQ for an existing FIFO queue', 'existingQueue.deadLetterQueue', (stack) => ({
    existingQueue: existingQueues(stack, { queue: `${QUEUE_ARN}.fifo` }),
  })),
  bad('an existing queue in another region than the stack', 'existingQueue.queue', (stack) => ({
    existingQueue: existingQueues(stack, {
      queue: QUEUE_ARN.replace('eu-west-1', 'us-east-1'),
      deadLetterQueue: DLQ_ARN.replace('eu-west-1', 'us-east-1'),
    }),
  })),
  bad('an existing DLQ in another account than the queue', 'existingQueue.deadLetterQueue', (stack) => ({
    existingQueue: existingQueues(stack, {
      deadLetterQueue: DLQ_ARN.replace('111122223333', '444455556666'),
    }),
  })),
  bad('topic subscriptions on an existing queue', 'topicSubscriptions', (stack) => ({
    existingQueue: existingQueues(stack),
    topicSubscriptions: [{ topic: sns.Topic.fromTopicArn(stack, 'Topic', PARTNER_TOPIC) }],
  })),
  bad(
    'a stated visibility timeout below 6 × the function timeout on an existing queue',
    'visibilityTimeout',
    (stack) => ({
      existingQueue: existingQueues(stack),
      visibilityTimeout: seconds(30),
    }),
  ),

  // ----- sources (topicSubscriptions, eventRules) -----
  bad(
    'topic subscriptions that disagree on raw delivery',
    'topicSubscriptions[1].rawMessageDelivery',
    (stack) => ({
      topicSubscriptions: [
        { topic: new sns.Topic(stack, 'A') },
        { topic: new sns.Topic(stack, 'B'), rawMessageDelivery: false },
      ],
    }),
  ),
  bad('an SNS envelope beside EventBridge events', 'topicSubscriptions[0].rawMessageDelivery', (stack) => ({
    topicSubscriptions: [{ topic: new sns.Topic(stack, 'A'), rawMessageDelivery: false }],
    eventRules: [{ rule: rule(stack) }],
  })),
  bad('an envelope in failsafe that the subscriptions contradict', 'failsafe.envelope', (stack) => ({
    topicSubscriptions: [{ topic: new sns.Topic(stack, 'A') }],
    failsafe: { envelope: 'sns' },
  })),
  bad('a standard topic for a FIFO queue', 'topicSubscriptions[0].topic', (stack) => ({
    fifo: true,
    topicSubscriptions: [{ topic: sns.Topic.fromTopicArn(stack, 'Topic', PARTNER_TOPIC) }],
  })),
  bad(
    'two filter policies on one subscription',
    'topicSubscriptions[0].filterPolicyWithMessageBody',
    (stack) => ({
      topicSubscriptions: [
        {
          topic: new sns.Topic(stack, 'A'),
          filterPolicy: { kind: sns.SubscriptionFilter.existsFilter() },
          filterPolicyWithMessageBody: {
            kind: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.existsFilter()),
          },
        },
      ],
    }),
  ),
  bad('the same topic twice', 'topicSubscriptions[1].topic', (stack) => {
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', PARTNER_TOPIC);
    return { topicSubscriptions: [{ topic }, { topic }] };
  }),
  bad('more topics and rules than the queue policy holds', 'topicSubscriptions', (stack) => ({
    topicSubscriptions: Array.from({ length: 20 }, (_, index) => ({
      topic: sns.Topic.fromTopicArn(stack, `Topic${index}`, `${PARTNER_TOPIC}-${index}`),
    })),
  })),
  bad('an event rule without a message group for a FIFO queue', 'eventRules[0].messageGroupId', (stack) => ({
    fifo: true,
    eventRules: [{ rule: rule(stack) }],
  })),
  bad('a message group for a standard queue', 'eventRules[0].messageGroupId', (stack) => ({
    eventRules: [{ rule: rule(stack), messageGroupId: 'orders' }],
  })),

  // ----- failsafe (the runtime's own configuration) -----
  bad('failsafe that is no object', 'failsafe', { failsafe: 'retry' as never }),
  bad('retry.maxAttempts 0', 'failsafe.retry.maxAttempts', { failsafe: { retry: { maxAttempts: 0 } } }),
  bad('a decreasing in-invocation retry schedule', 'failsafe.retry.scheduleMs', {
    failsafe: { retry: { scheduleMs: [500, 100] } },
  }),
  bad('a retry schedule with maxAttempts', 'failsafe.retry', {
    failsafe: { retry: { scheduleMs: [100], maxAttempts: 2 } as never },
  }),
  bad('a retry budget ratio of 2', 'failsafe.retry.budget.ratio', {
    failsafe: { retry: { budget: { ratio: 2 } } },
  }),
  bad('retry.maxDelayMs below baseDelayMs', 'failsafe.retry', {
    failsafe: { retry: { baseDelayMs: 500, maxDelayMs: 100 } },
  }),
  bad('a dependency breaker of 0 failures', 'failsafe.dependencyBreaker.consecutiveFailures', {
    failsafe: { dependencyBreaker: { consecutiveFailures: 0 } },
  }),
  bad('a safety margin of 2 min', 'failsafe.safetyMarginMs', { failsafe: { safetyMarginMs: 120_000 } }),
  bad('a safety margin as long as the function timeout', 'failsafe.safetyMarginMs', {
    timeout: seconds(30),
    failsafe: { safetyMarginMs: 30_000 },
  }),
  bad('a FIFO mode on a standard queue', 'failsafe.fifoMode', {
    failsafe: { fifoMode: 'skip-failed-group' },
  }),
  bad('an unknown FIFO mode', 'failsafe.fifoMode', { fifo: true, failsafe: { fifoMode: 'fast' as never } }),
  bad('an unknown event type', 'failsafe.notifications.events', {
    failsafe: { notifications: { events: ['message.exploded' as never] } },
  }),
  bad('includeBody as a string', 'failsafe.notifications.includeBody', {
    failsafe: { notifications: { includeBody: 'yes' as never } },
  }),
  bad('an empty redelivery schedule', 'failsafe.redeliveryBackoff.scheduleSeconds', {
    failsafe: { redeliveryBackoff: { scheduleSeconds: [] } },
  }),
  bad('a redelivery wait over 12 h', 'failsafe.redeliveryBackoff.scheduleSeconds[0]', {
    failsafe: { redeliveryBackoff: { scheduleSeconds: [50_000] } },
  }),
  bad('a schedule mixed with exponential fields', 'failsafe.redeliveryBackoff', {
    failsafe: { redeliveryBackoff: { scheduleSeconds: [10], baseSeconds: 5 } as never },
  }),
  bad('a negative exponential base', 'failsafe.redeliveryBackoff.baseSeconds', {
    failsafe: { redeliveryBackoff: { baseSeconds: -1 } },
  }),
  bad('an exponential maximum below the base', 'failsafe.redeliveryBackoff.maxSeconds', {
    failsafe: { redeliveryBackoff: { baseSeconds: 60, maxSeconds: 30 } },
  }),
  bad('an exponential multiplier below 1', 'failsafe.redeliveryBackoff.multiplier', {
    failsafe: { redeliveryBackoff: { multiplier: 0.5 } },
  }),
  bad('attempts disagreeing with the schedule', 'failsafe.deadLetter.maxAttempts', {
    failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60] }, deadLetter: { maxAttempts: 5 } },
  }),
  bad("a retry horizon past the attempt ledger's 14 days", 'failsafe.deadLetter.maxAttempts', {
    retentionPeriod: days(14),
    failsafe: { redeliveryBackoff: { scheduleSeconds: Array.from({ length: 30 }, () => 43_200) } },
  }),
  bad('0 attempts', 'failsafe.deadLetter.maxAttempts', { failsafe: { deadLetter: { maxAttempts: 0 } } }),
  bad('a fractional number of attempts', 'failsafe.deadLetter.maxAttempts', {
    failsafe: { deadLetter: { maxAttempts: 2.5 } },
  }),
  bad('1001 attempts', 'failsafe.deadLetter.maxAttempts', {
    failsafe: { deadLetter: { maxAttempts: 1_001 } },
  }),
  bad('attempts given as a string', 'failsafe.deadLetter.maxAttempts', {
    failsafe: { deadLetter: { maxAttempts: '3' as unknown as number } },
  }),
  bad('the removed maxReceiveCount under deadLetter', 'failsafe.deadLetter.maxReceiveCount', {
    failsafe: { deadLetter: { maxReceiveCount: 5 } as never },
  }),
  bad('copies on a FIFO queue', 'failsafe.redelivery', { fifo: true, failsafe: { redelivery: 'copy' } }),
  bad('an unknown redelivery mode', 'failsafe.redelivery', {
    failsafe: { redelivery: 'resend' as unknown as 'copy' },
  }),
  bad('an attempt ledger given in failsafe', 'failsafe.attemptLedger', {
    failsafe: { attemptLedger: { tableName: 'mine' } } as never,
  }),
  bad('a max age of 0 s', 'failsafe.deadLetter.maxAgeSeconds', {
    failsafe: { deadLetter: { maxAgeSeconds: 0 } },
  }),
  bad('a max age past the retention', 'failsafe.deadLetter.maxAgeSeconds', {
    failsafe: { deadLetter: { maxAgeSeconds: 10 * 86_400 } },
  }),
  bad('an unknown key in deadLetter', 'failsafe.deadLetter.retries', {
    failsafe: { deadLetter: { retries: 2 } as never },
  }),
  bad('the runtime’s own idempotency in failsafe', 'failsafe.idempotency', {
    failsafe: { idempotency: { tableName: 'orders' } } as never,
  }),

  // ----- alarms -----
  bad('an oldest-message alarm at 0 s', 'oldestMessageAgeThreshold', {
    oldestMessageAgeThreshold: seconds(0),
  }),
  bad('an oldest-message alarm after the retention', 'oldestMessageAgeThreshold', {
    oldestMessageAgeThreshold: days(5),
  }),
  bad('a consumer-errors threshold of 0', 'consumerErrorsThreshold', { consumerErrorsThreshold: 0 }),
  bad('a fractional throttles threshold', 'consumerThrottlesThreshold', { consumerThrottlesThreshold: 1.5 }),

  // ----- redrive -----
  bad('a redrive cooldown of 8 days', 'redrive.cooldown', { redrive: { cooldown: days(8) } }),
  bad('a redrive cooldown given as a number', 'redrive.cooldown', { redrive: { cooldown: 900 as never } }),
  bad('a redrive cooldown under its configuration name', 'redrive.cooldownSeconds', {
    redrive: { cooldownSeconds: 900 } as never,
  }),
  bad('0 messages per redrive run', 'redrive.maxMessagesPerRun', { redrive: { maxMessagesPerRun: 0 } }),
  bad('a redrive rate of 0', 'redrive.ratePerSecond', { redrive: { ratePerSecond: 0 } }),
  bad('a redrive cap of 0', 'redrive.maxRedrivesPerMessage', { redrive: { maxRedrivesPerMessage: 0 } }),
  bad('a return threshold of 0', 'redrive.returnBreaker.returnThreshold', {
    redrive: { returnBreaker: { returnThreshold: 0 } },
  }),
  bad('a return-breaker window of 30 s', 'redrive.returnBreaker.window', {
    redrive: { returnBreaker: { window: seconds(30) } },
  }),
  bad('a return breaker trusting 0 redriven messages', 'redrive.returnBreaker.minRedriven', {
    redrive: { returnBreaker: { minRedriven: 0 } },
  }),
  bad('a return breaker open for 8 days', 'redrive.returnBreaker.openDuration', {
    redrive: { returnBreaker: { openDuration: days(8) } },
  }),
  bad('an unknown continuation', 'redrive.continuation', { redrive: { continuation: 'later' as never } }),
  bad('1,001 continuations', 'redrive.maxContinuations', { redrive: { maxContinuations: 1_001 } }),
  bad('maxContinuations with the schedule continuation', 'redrive.maxContinuations', {
    redrive: { continuation: 'schedule', maxContinuations: 5 },
  }),
  bad('a redrive schedule of 90 s', 'redrive.scheduleInterval', {
    redrive: { scheduleInterval: seconds(90) },
  }),
  bad('0 redrive loops', 'redrive.concurrency', { redrive: { concurrency: 0 } }),
  bad('a redrive timeout of 10 s', 'redrive.timeout', { redrive: { timeout: seconds(10) } }),
  bad('64 MB for the redrive function', 'redrive.memorySize', { redrive: { memorySize: 64 } }),
  bad('redrive settings with a redrive function of one’s own', 'redrive', (stack) => ({
    redrive: { cooldown: minutes(5) },
    redriveFunction: existingFunction(stack),
  })),

  // ----- consumer circuit breaker -----
  bad('a breaker threshold of 0', 'circuitBreaker.threshold', { circuitBreaker: { threshold: 0 } }),
  bad('a failure rate of 101 %', 'circuitBreaker.failureRatePercent', {
    circuitBreaker: { failureRatePercent: 101 },
  }),
  bad('a breaker period of 90 s', 'circuitBreaker.period', { circuitBreaker: { period: seconds(90) } }),
  bad('0 evaluation periods', 'circuitBreaker.evaluationPeriods', {
    circuitBreaker: { evaluationPeriods: 0 },
  }),
  bad('an alarm window over a day', 'circuitBreaker.evaluationPeriods', {
    circuitBreaker: { period: Duration.hours(1), evaluationPeriods: 25, datapointsToAlarm: 1 },
  }),
  bad('more datapoints than evaluation periods', 'circuitBreaker.datapointsToAlarm', {
    circuitBreaker: { datapointsToAlarm: 4 },
  }),
  bad('a breaker cooldown of 0 s', 'circuitBreaker.cooldown', { circuitBreaker: { cooldown: seconds(0) } }),
  bad('a half-open concurrency of 1', 'circuitBreaker.halfOpenConcurrency', {
    circuitBreaker: { halfOpenConcurrency: 1 },
  }),
  bad('fullConcurrency without maxConcurrency', 'circuitBreaker.fullConcurrency', {
    circuitBreaker: { fullConcurrency: 10 },
  }),
  bad('fullConcurrency other than maxConcurrency', 'circuitBreaker.fullConcurrency', {
    maxConcurrency: 10,
    circuitBreaker: { fullConcurrency: 20 },
  }),
  bad('a maxConcurrency no higher than the half-open concurrency', 'maxConcurrency', { maxConcurrency: 2 }),
  bad('a probe every 30 s', 'circuitBreaker.probeInterval', {
    circuitBreaker: { probeInterval: seconds(30) },
  }),
  bad('a probe faster than the alarm decides', 'circuitBreaker.probeInterval', {
    circuitBreaker: { probeInterval: minutes(2) },
  }),

  // ----- idempotency -----
  bad('an idempotency key path with an empty segment', 'idempotency.keyPath', {
    idempotency: { keyPath: 'a..b' },
  }),
  bad('an idempotency key path of 300 characters', 'idempotency.keyPath', {
    idempotency: { keyPath: 'a'.repeat(300) },
  }),
  bad('idempotency that never expires (400 days)', 'idempotency.expiresAfter', {
    idempotency: { expiresAfter: days(400) },
  }),
  bad('an in-progress expiry of 13 h', 'idempotency.inProgressExpiry', {
    idempotency: { inProgressExpiry: Duration.hours(13) },
  }),
  bad('an idempotency expiry given as a number', 'idempotency.expiresAfter', {
    idempotency: { expiresAfter: 3_600 as never },
  }),
];

/**
 * Inputs at the edges of what is allowed: each synthesizes, and every function it configures starts (the
 * runtime's readers accept what was written), so nothing is accepted at synth only to fail at run time.
 */
export const ACCEPTED_PROP_CASES: readonly BadInputCase<PropsInStack>[] = [
  bad('the defaults', '', {}),
  bad('FIFO with the largest batch', '', { fifo: true, batchSize: 10, contentBasedDeduplication: true }),
  bad('10,000 messages a batch with a window', '', { batchSize: 10_000, maxBatchingWindow: seconds(300) }),
  bad('maxConcurrency 1000 with a half-open concurrency of 999', '', {
    maxConcurrency: 1_000,
    circuitBreaker: { halfOpenConcurrency: 999, fullConcurrency: 1_000 },
  }),
  bad('the longest retention and a long schedule', '', {
    retentionPeriod: days(14),
    deadLetterRetentionPeriod: days(14),
    fifo: true,
    failsafe: { redeliveryBackoff: { scheduleSeconds: [43_200, 43_200] } },
  }),
  bad('every runtime option at an edge', '', {
    failsafe: {
      concurrency: 1_000,
      safetyMarginMs: 0,
      retry: { scheduleMs: [0, 900_000], budget: false },
      dependencyBreaker: false,
      deadLetter: { maxAgeSeconds: 60 },
      notifications: {
        events: [
          'message.succeeded',
          'message.failed',
          'message.retry-scheduled',
          'message.dead-lettered',
          'batch.completed',
        ],
        includeBody: true,
        callbackTopicAllowList: ['arn:aws:sns:eu-west-1:111122223333:callbacks.fifo'],
      },
    },
  }),
  bad('every redrive setting at an edge', '', {
    redrive: {
      cooldown: days(7),
      maxMessagesPerRun: 1_000_000_000,
      ratePerSecond: 0.01,
      maxRedrivesPerMessage: 1_000,
      returnBreaker: {
        returnThreshold: 1,
        window: minutes(1),
        minRedriven: 1_000_000,
        openDuration: days(7),
      },
      continuation: 'schedule',
      scheduleInterval: days(1),
      concurrency: 100,
      parkingQueue: true,
      timeout: minutes(15),
      memorySize: 10_240,
    },
  }),
  bad('every breaker setting at an edge', '', {
    maxConcurrency: 3,
    circuitBreaker: {
      threshold: 1,
      failureRatePercent: 100,
      period: minutes(1),
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      cooldown: seconds(1),
      halfOpenConcurrency: 2,
      fullConcurrency: 3,
      probeInterval: minutes(1),
    },
  }),
  bad('idempotency at its edges', '', {
    idempotency: {
      keyPath: 'order.items.0.id',
      expiresAfter: days(365),
      inProgressExpiry: Duration.hours(12),
    },
  }),
  bad('provisioned mode at its edges, breaker off, metrics and tracing on', '', {
    circuitBreaker: false,
    provisionedPollers: { minimum: 200, maximum: 2_000 },
    mappingMetrics: true,
    tracing: true,
  }),
  bad('Node.js 22 for every function', '', { runtime: lambda.Runtime.NODEJS_22_X }),
  bad('a consumer function with reserved concurrency matching maxConcurrency', '', (stack) => ({
    consumerFunction: existingFunction(stack, { reservedConcurrentExecutions: 10 }),
    maxConcurrency: 10,
  })),
];
