import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { consumerBreakerConfigEnvironment } from '../../infra/consumer/environment/consumerBreakerConfigEnvironment.js';
import { redriveConfigEnvironment } from '../../infra/consumer/environment/redriveConfigEnvironment.js';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  type ConsumerBreakerConfig,
  consumerBreakerConfigEnvironment as runtimeConsumerBreakerConfigEnvironment,
} from '../../lib/config/consumerBreakerConfig.js';
import {
  REDRIVE_CONFIG_ENV_VAR,
  type RedriveConfig,
  redriveConfigEnvironment as runtimeRedriveConfigEnvironment,
} from '../../lib/config/redriveConfig.js';
import { InvalidOptionsError } from '../../lib/errors.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/';

describe('redriveConfigEnvironment', () => {
  it('writes the same key and value as the runtime’s redriveConfigEnvironment when there is no token', () => {
    // Prepare
    const stack = new Stack();
    const config: RedriveConfig = {
      dlqUrl: `${QUEUE_URL}orders-dlq`,
      sourceQueueUrl: `${QUEUE_URL}orders`,
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:outcomes',
      healthAlarmName: 'orders-health',
      dlqAlarmName: 'orders-dlq-not-empty',
      parkingQueueUrl: `${QUEUE_URL}orders-parked`,
      circuitBreaker: { returnThreshold: 0.25 },
      continuation: 'schedule',
      ratePerSecond: 12.5,
    };

    // Act
    const written = redriveConfigEnvironment(stack, config);

    // Assess
    expect(Object.keys(written)).toEqual([REDRIVE_CONFIG_ENV_VAR]);
    expect(stack.resolve(written[REDRIVE_CONFIG_ENV_VAR])).toBe(
      runtimeRedriveConfigEnvironment(config)[REDRIVE_CONFIG_ENV_VAR],
    );
  });

  it('renders tokens as references, where JSON.stringify would write placeholders', () => {
    const stack = new Stack();
    const dlq = new sqs.Queue(stack, 'Dlq');
    const config: RedriveConfig = { dlqUrl: dlq.queueUrl, sourceQueueUrl: `${QUEUE_URL}orders` };

    const resolved = stack.resolve(redriveConfigEnvironment(stack, config)[REDRIVE_CONFIG_ENV_VAR]);

    expect(resolved).toEqual({
      'Fn::Join': [
        '',
        [
          '{"version":1,"dlqUrl":"',
          { Ref: stack.getLogicalId(dlq.node.defaultChild as sqs.CfnQueue) },
          `","sourceQueueUrl":"${QUEUE_URL}orders"}`,
        ],
      ],
    });
    expect(runtimeRedriveConfigEnvironment(config)[REDRIVE_CONFIG_ENV_VAR]).toContain('${Token[');
  });
});

describe('consumerBreakerConfigEnvironment', () => {
  const literal: ConsumerBreakerConfig = {
    mappingUuid: '3f8d9a52-1b7c-4e0a-9c6d-2f1e0b7a4c55',
    alarmName: 'orders-transient-failures',
    topicArn: 'arn:aws:sns:eu-west-1:111122223333:outcomes',
    coolDownSeconds: 120,
    fullConcurrency: 20,
  };

  it('writes the same key and value as the runtime’s consumerBreakerConfigEnvironment when there is no token', () => {
    const stack = new Stack();
    const written = consumerBreakerConfigEnvironment(stack, literal);
    expect(Object.keys(written)).toEqual([CONSUMER_BREAKER_CONFIG_ENV_VAR]);
    expect(stack.resolve(written[CONSUMER_BREAKER_CONFIG_ENV_VAR])).toBe(
      runtimeConsumerBreakerConfigEnvironment(literal)[CONSUMER_BREAKER_CONFIG_ENV_VAR],
    );
  });

  it('accepts the mapping’s UUID as a token, which the runtime’s version refuses', () => {
    // Prepare
    const stack = new Stack();
    const queue = new sqs.Queue(stack, 'Queue');
    const config: ConsumerBreakerConfig = { ...literal, mappingUuid: queue.queueName };

    // Act
    const resolved = stack.resolve(
      consumerBreakerConfigEnvironment(stack, config)[CONSUMER_BREAKER_CONFIG_ENV_VAR],
    );

    // Assess
    expect(resolved['Fn::Join'][1][1]).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as sqs.CfnQueue), 'QueueName'],
    });
    expect(() => runtimeConsumerBreakerConfigEnvironment(config)).toThrow(InvalidOptionsError);
  });

  it('validates every field that is not a token, as the controller will at cold start', () => {
    const stack = new Stack();
    expect(() =>
      consumerBreakerConfigEnvironment(stack, { ...literal, halfOpenConcurrency: 1, fullConcurrency: 2 }),
    ).toThrow(
      new InvalidOptionsError('breaker configuration', [
        'halfOpenConcurrency: must be an integer from 2 to 1000 (got 1)',
        'fullConcurrency: must be an integer from 3 to 1000 (got 2)',
      ]),
    );
  });
});
