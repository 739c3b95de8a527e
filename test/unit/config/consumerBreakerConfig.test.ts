import { describe, expect, it } from 'vitest';
import {
  CONSUMER_BREAKER_DEFAULTS,
  readConsumerBreakerConfig,
} from '../../../lib/config/consumerBreakerConfig.js';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  consumerBreakerConfigEnvironment,
} from '../../../lib/consumerBreaker/index.js';
import { InvalidOptionsError } from '../../../lib/index.js';
import { problemsOf } from '../../helpers/invalidOptions.js';

const MAPPING_UUID = '3f8d9a52-1b7c-4e0a-9c6d-2f1e0b7a4c55';
const minimal = { mappingUuid: MAPPING_UUID, alarmName: 'orders-transient-failures' };

describe('breaker controller configuration (SQS_FAILSAFE_BREAKER_CONFIG)', () => {
  it('round-trips through the environment helper, with documented defaults', () => {
    const environment = consumerBreakerConfigEnvironment(minimal);
    expect(Object.keys(environment)).toEqual([CONSUMER_BREAKER_CONFIG_ENV_VAR]);
    expect(readConsumerBreakerConfig(environment)).toEqual({
      ...minimal,
      topicArn: undefined,
      coolDownSeconds: 300,
      halfOpenConcurrency: 2,
      fullConcurrency: undefined,
      probeSeconds: 300,
    });
    expect(CONSUMER_BREAKER_DEFAULTS).toEqual({
      coolDownSeconds: 300,
      halfOpenConcurrency: 2,
      probeSeconds: 300,
    });
  });

  it('keeps every field given', () => {
    const config = {
      ...minimal,
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:failsafe-events',
      coolDownSeconds: 120,
      halfOpenConcurrency: 3,
      fullConcurrency: 50,
      probeSeconds: 180,
    };
    expect(readConsumerBreakerConfig(consumerBreakerConfigEnvironment(config))).toEqual(config);
  });

  it('refuses a breaker without a mapping to control', () => {
    expect(problemsOf(() => consumerBreakerConfigEnvironment({ alarmName: 'orders' } as never))).toEqual([
      'mappingUuid: is required: the breaker needs an event source mapping to control',
    ]);
    expect(
      problemsOf(() => consumerBreakerConfigEnvironment({ ...minimal, mappingUuid: 'orders-mapping' })),
    ).toEqual([
      'mappingUuid: must be the UUID of the event source mapping the breaker pauses (got "orders-mapping")',
    ]);
  });

  it('lists every threshold out of range at once', () => {
    expect(
      problemsOf(() =>
        consumerBreakerConfigEnvironment({
          ...minimal,
          coolDownSeconds: 0,
          halfOpenConcurrency: 1,
          fullConcurrency: 5_000,
          probeSeconds: 90_000,
          topicArn: 'failsafe-events',
          pauseFor: 3,
        } as never),
      ),
    ).toEqual([
      'topicArn: must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>) (got "failsafe-events")',
      'coolDownSeconds: must be an integer from 1 to 86400 (got 0)',
      'halfOpenConcurrency: must be an integer from 2 to 1000 (got 1)',
      'fullConcurrency: must be an integer from 3 to 1000 (got 5000)',
      'probeSeconds: must be an integer from 1 to 86400 (got 90000)',
      'pauseFor: is not a known option (pauseFor)',
    ]);
  });

  it('refuses a full concurrency that does not exceed the half-open one (the states could not be told apart)', () => {
    expect(
      problemsOf(() =>
        consumerBreakerConfigEnvironment({ ...minimal, halfOpenConcurrency: 5, fullConcurrency: 5 }),
      ),
    ).toEqual([
      'fullConcurrency: must be above halfOpenConcurrency (5), or the breaker cannot tell half-open from closed (got 5)',
    ]);
  });

  it('fails the cold start when the variable is missing, not JSON, or not an object', () => {
    expect(() => readConsumerBreakerConfig({})).toThrow(InvalidOptionsError);
    expect(problemsOf(() => readConsumerBreakerConfig({}))).toEqual([
      'is not set: the breaker controller needs { mappingUuid, alarmName, ... } (see docs/outage-protection.md)',
    ]);
    expect(
      problemsOf(() => readConsumerBreakerConfig({ [CONSUMER_BREAKER_CONFIG_ENV_VAR]: '{mappingUuid:' }))[0],
    ).toMatch(/^is not valid JSON/);
    expect(problemsOf(() => readConsumerBreakerConfig({ [CONSUMER_BREAKER_CONFIG_ENV_VAR]: '[1]' }))).toEqual(
      ['must be an object { mappingUuid, alarmName, ... } (got [1])'],
    );
  });
});
