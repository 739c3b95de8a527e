import { describe, expect, it } from 'vitest';
import { readRedriveConfig } from '../../../lib/config/redriveConfig.js';
import { InvalidOptionsError } from '../../../lib/index.js';
import { REDRIVE_CONFIG_ENV_VAR, redriveConfigEnvironment } from '../../../lib/redrive/index.js';

const queue = (name: string) => `https://sqs.eu-west-1.amazonaws.com/111122223333/${name}`;

describe('redrive configuration', () => {
  it('round-trips through the environment helper, with the defaults applied', () => {
    const env = redriveConfigEnvironment({
      dlqUrl: queue('orders-dlq'),
      sourceQueueUrl: queue('orders'),
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:failsafe-events',
      circuitBreaker: { returnThreshold: 0.8 },
    });
    expect(Object.keys(env)).toEqual([REDRIVE_CONFIG_ENV_VAR]);
    expect(readRedriveConfig(env)).toEqual({
      dlqUrl: queue('orders-dlq'),
      sourceQueueUrl: queue('orders'),
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:failsafe-events',
      maxMessagesPerRun: 10_000,
      ratePerSecond: 100,
      cooldownSeconds: 900,
      maxRedrivesPerMessage: 3,
      parkingQueueUrl: undefined,
      healthAlarmName: undefined,
      dlqAlarmName: undefined,
      circuitBreaker: { returnThreshold: 0.8, windowSeconds: 3_600, minRedriven: 10, openSeconds: 3_600 },
      continuation: 'self-invoke',
      maxContinuations: 20,
      concurrency: 4,
      safetyMarginMs: 10_000,
    });
  });

  it('lists every problem, cross-field rules included', () => {
    const env = {
      [REDRIVE_CONFIG_ENV_VAR]: JSON.stringify({
        dlqUrl: queue('orders-dlq'),
        sourceQueueUrl: queue('orders.fifo'),
        parkingQueueUrl: queue('orders-dlq'),
        ratePerSecond: 0,
        continuation: 'retry',
        circuitBreaker: { returnThreshold: 0 },
        healthAlarmName: 'same',
        dlqAlarmName: 'same',
        extra: 1,
      }),
    };
    let error: unknown;
    try {
      readRedriveConfig(env);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).problems).toEqual([
      'ratePerSecond: must be a number from 0.01 to 1000000 (got 0)',
      'circuitBreaker.returnThreshold: must be a number above 0 and at most 1 (got 0)',
      'continuation: must be "self-invoke" or "schedule" (got "retry")',
      'extra: is not a known option (extra)',
      'sourceQueueUrl: must be of the same type as the DLQ (both FIFO or both standard)',
      'parkingQueueUrl: must differ from the DLQ and the source queue',
      'dlqAlarmName: must differ from healthAlarmName (they trigger different policies)',
    ]);
  });

  it('says when the variable is missing or not JSON', () => {
    expect(() => readRedriveConfig({})).toThrowError(
      /SQS_FAILSAFE_REDRIVE_CONFIG environment variable:\n {2}- is not set/,
    );
    expect(() => readRedriveConfig({ [REDRIVE_CONFIG_ENV_VAR]: '{' })).toThrowError(/is not valid JSON/);
    expect(() => readRedriveConfig({ [REDRIVE_CONFIG_ENV_VAR]: '{}' })).toThrowError(
      /- dlqUrl: is required\n {2}- sourceQueueUrl: is required/,
    );
  });
});
