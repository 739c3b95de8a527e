import { describe, expect, it } from 'vitest';
import { InvalidRedriveTriggerError } from '../../../lib/redrive/index.js';
import { parseRedriveTrigger } from '../../../lib/redriveFunction/redriveTrigger.js';
import alarmAction from '../../fixtures/events/cloudwatch-alarm-action.json' with { type: 'json' };
import eventBridge from '../../fixtures/events/cloudwatch-alarm-eventbridge.json' with { type: 'json' };
import sns from '../../fixtures/events/cloudwatch-alarm-sns.json' with { type: 'json' };
import snsMetricMath from '../../fixtures/events/cloudwatch-alarm-sns-metric-math.json' with { type: 'json' };

/**
 * The redrive function's alarm triggers: all three CloudWatch payload shapes, read by the one alarm
 * parser the breaker controller uses too, and every bad alarm payload reported as InvalidRedriveTriggerError.
 */
const clone = <T>(value: T): T => structuredClone(value);

const alarmOf = (event: unknown) => {
  const trigger = parseRedriveTrigger(event);
  if (trigger.kind !== 'alarm') throw new Error(`expected an alarm trigger, got ${trigger.kind}`);
  return trigger.alarm;
};

describe('redrive alarm triggers: the three payload shapes', () => {
  it.each([
    ['SNS, single metric', sns, 'sns', 'orders-consumer-health', 'OK', 'ALARM'],
    ['SNS, metric math', snsMetricMath, 'sns', 'orders-dlq-not-empty', 'ALARM', 'OK'],
    ['EventBridge', eventBridge, 'eventbridge', 'orders-consumer-health', 'OK', 'ALARM'],
    ['alarm action', alarmAction, 'alarm-action', 'orders-dlq-not-empty', 'ALARM', 'OK'],
  ])('%s', (_label, event, delivery, alarmName, state, previousState) => {
    const change = alarmOf(event);
    expect(change).toMatchObject({ delivery, alarmName, state, previousState, region: 'eu-west-1' });
    expect(change.alarmArn).toMatch(/^arn:aws:cloudwatch:eu-west-1:111122223333:alarm:/);
  });

  it('takes the region from the ARN through SNS, whose Region is a display name', () => {
    expect(JSON.parse(sns.Records[0]?.Sns.Message as string).Region).toBe('EU (Ireland)');
    expect(alarmOf(sns).region).toBe('eu-west-1');
  });
});

describe('redrive alarm triggers: missing or invalid fields', () => {
  const withSnsMessage = (change: (message: Record<string, unknown>) => void) => {
    const event = clone(sns);
    const record = event.Records[0] as (typeof event.Records)[number];
    const message = JSON.parse(record.Sns.Message) as Record<string, unknown>;
    change(message);
    record.Sns.Message = JSON.stringify(message);
    return event;
  };

  it('names the missing new state of an SNS notification', () => {
    const event = withSnsMessage((message) => {
      delete message.NewStateValue;
    });
    expect(() => parseRedriveTrigger(event)).toThrowError(InvalidRedriveTriggerError);
    expect(() => parseRedriveTrigger(event)).toThrowError(
      /Records\[0\]\.Sns\.Message\.NewStateValue is undefined/,
    );
  });

  it('rejects an unknown state value, saying which are allowed', () => {
    const event = withSnsMessage((message) => {
      message.NewStateValue = 'ALARMING';
    });
    expect(() => parseRedriveTrigger(event)).toThrowError(
      /"ALARMING", expected OK, ALARM or INSUFFICIENT_DATA/,
    );
  });

  it('names the missing alarm name of an EventBridge event', () => {
    const event = clone(eventBridge) as { detail: Record<string, unknown> };
    delete event.detail.alarmName;
    expect(() => parseRedriveTrigger(event)).toThrowError(/detail\.alarmName is missing/);
  });

  it('reads an alarm action without a previous state as an unknown transition, which the policy ignores', () => {
    const event = clone(alarmAction) as { alarmData: Record<string, unknown> };
    delete event.alarmData.previousState;
    expect(alarmOf(event).previousState).toBeUndefined();
  });

  it('says so when the SNS message is not JSON', () => {
    const event = clone(sns);
    (event.Records[0] as (typeof event.Records)[number]).Sns.Message = '{"AlarmName": broken';
    expect(() => parseRedriveTrigger(event)).toThrowError(/is not JSON/);
  });
});
