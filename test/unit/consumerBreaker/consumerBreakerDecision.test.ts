import { describe, expect, it } from 'vitest';
import {
  decideConsumerBreakerAction,
  probeNeedsAlarmState,
} from '../../../lib/consumerBreaker/consumerBreakerDecision.js';
import { consumerBreakerStateOf } from '../../../lib/consumerBreaker/consumerBreakerState.js';
import {
  type ConsumerBreakerAction,
  type ConsumerBreakerState,
  type EventSourceMappingStatus,
  resolveConsumerBreakerConfig,
} from '../../../lib/consumerBreaker/index.js';
import type { AlarmState } from '../../../lib/events/index.js';

const config = resolveConsumerBreakerConfig({
  mappingUuid: '3f8d9a52-1b7c-4e0a-9c6d-2f1e0b7a4c55',
  alarmName: 'orders-transient-failures',
  coolDownSeconds: 300,
  probeSeconds: 120,
  halfOpenConcurrency: 2,
  fullConcurrency: 50,
});

const mapping = (state: string, maximumConcurrency: number | undefined): EventSourceMappingStatus => ({
  uuid: config.mappingUuid,
  state,
  maximumConcurrency,
  lastModified: 0,
  eventSourceArn: 'arn:aws:sqs:eu-west-1:111122223333:orders',
  functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:orders-worker',
});

describe('consumer breaker state, read from the mapping alone', () => {
  it.each<[string, number | undefined, ConsumerBreakerState]>([
    ['Enabled', 50, 'closed'],
    ['Enabled', undefined, 'closed'],
    ['Updating', 50, 'closed'],
    ['Enabled', 2, 'half-open'],
    ['Enabling', 2, 'half-open'],
    ['Disabled', 2, 'open'],
    ['Disabling', 2, 'open'],
    ['Disabled', 50, 'stopped'],
    ['Disabled', undefined, 'stopped'],
    ['Creating', 50, 'transitioning'],
    ['Deleting', 2, 'transitioning'],
  ])('%s at maximum concurrency %s is %s', (state, concurrency, expected) => {
    expect(consumerBreakerStateOf(mapping(state, concurrency), config)).toBe(expected);
  });
});

describe('consumer breaker transitions', () => {
  const S = 1_000;
  it.each<[ConsumerBreakerState, 'alarm' | 'probe', AlarmState | undefined, number, ConsumerBreakerAction]>([
    // closed
    ['closed', 'alarm', 'ALARM', 0, 'pause'],
    ['closed', 'alarm', 'OK', 0, 'none'],
    ['closed', 'alarm', 'INSUFFICIENT_DATA', 0, 'none'],
    ['closed', 'probe', 'ALARM', 3_600 * S, 'pause'],
    ['closed', 'probe', 'OK', 3_600 * S, 'none'],
    // open: only the probe after the cool-down moves it
    ['open', 'alarm', 'OK', 3_600 * S, 'none'],
    ['open', 'alarm', 'ALARM', 3_600 * S, 'none'],
    ['open', 'probe', undefined, 299 * S, 'none'],
    ['open', 'probe', undefined, 300 * S, 'half-open'],
    // half-open
    ['half-open', 'alarm', 'ALARM', 5 * S, 'pause'],
    ['half-open', 'alarm', 'OK', 5 * S, 'close'],
    ['half-open', 'alarm', 'INSUFFICIENT_DATA', 5 * S, 'none'],
    ['half-open', 'probe', undefined, 119 * S, 'none'],
    ['half-open', 'probe', 'ALARM', 120 * S, 'pause'],
    ['half-open', 'probe', 'OK', 120 * S, 'close'],
    ['half-open', 'probe', 'INSUFFICIENT_DATA', 120 * S, 'close'],
    // not the breaker's
    ['stopped', 'alarm', 'ALARM', 0, 'none'],
    ['stopped', 'probe', 'OK', 3_600 * S, 'none'],
    ['transitioning', 'alarm', 'ALARM', 0, 'none'],
  ])(
    '%s, %s with the alarm %s, %d ms after the last change: %s',
    (state, trigger, alarmState, sinceChangeMs, action) => {
      expect(decideConsumerBreakerAction({ state, trigger, alarmState, sinceChangeMs }, config).action).toBe(
        action,
      );
    },
  );

  it('explains itself', () => {
    expect(
      decideConsumerBreakerAction(
        { state: 'open', trigger: 'probe', alarmState: undefined, sinceChangeMs: 100_000 },
        config,
      ).reason,
    ).toBe('cooling down: 200 s until the half-open probe');
    expect(
      decideConsumerBreakerAction(
        { state: 'closed', trigger: 'probe', alarmState: 'ALARM', sinceChangeMs: 0 },
        config,
      ).reason,
    ).toBe('the transient-failure alarm is in ALARM while the consumer runs (its event was missed)');
  });

  it.each<[ConsumerBreakerState, number, boolean]>([
    ['closed', 0, true],
    ['open', 1_000_000, false],
    ['half-open', 119_999, false],
    ['half-open', 120_000, true],
    ['stopped', 1_000_000, false],
  ])('a probe while %s, %d ms after the change, reads the alarm: %s', (state, since, needed) => {
    expect(probeNeedsAlarmState(state, since, config)).toBe(needed);
  });
});
