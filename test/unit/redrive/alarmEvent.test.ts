import { describe, expect, it } from 'vitest';
import { InvalidRedriveTriggerError, parseAlarmEvent } from '../../../lib/index.js';
import alarmAction from '../../fixtures/events/cloudwatch-alarm-action.json' with { type: 'json' };
import eventBridge from '../../fixtures/events/cloudwatch-alarm-eventbridge.json' with { type: 'json' };
import sns from '../../fixtures/events/cloudwatch-alarm-sns.json' with { type: 'json' };
import snsMetricMath from '../../fixtures/events/cloudwatch-alarm-sns-metric-math.json' with { type: 'json' };

const clone = <T>(value: T): T => structuredClone(value);

describe('parseAlarmEvent: the three payload shapes', () => {
  it.each([
    ['SNS, single metric', sns, 'sns', 'orders-consumer-health', 'OK', 'ALARM'],
    ['SNS, metric math', snsMetricMath, 'sns', 'orders-dlq-not-empty', 'ALARM', 'OK'],
    ['EventBridge', eventBridge, 'eventbridge', 'orders-consumer-health', 'OK', 'ALARM'],
    ['alarm action', alarmAction, 'alarm-action', 'orders-dlq-not-empty', 'ALARM', 'OK'],
  ])('%s', (_label, event, delivery, alarmName, state, previousState) => {
    const change = parseAlarmEvent(event);
    expect(change).toMatchObject({ delivery, alarmName, state, previousState, region: 'eu-west-1' });
    expect(change.alarmArn).toMatch(/^arn:aws:cloudwatch:eu-west-1:111122223333:alarm:/);
  });

  it('takes the region from the ARN through SNS, whose Region is a display name', () => {
    expect(JSON.parse(sns.Records[0]?.Sns.Message as string).Region).toBe('EU (Ireland)');
    expect(parseAlarmEvent(sns).region).toBe('eu-west-1');
  });
});

describe('parseAlarmEvent: missing or invalid fields', () => {
  const withSnsMessage = (change: (message: Record<string, unknown>) => void) => {
    const event = clone(sns);
    const record = event.Records[0] as (typeof event.Records)[number];
    const message = JSON.parse(record.Sns.Message) as Record<string, unknown>;
    change(message);
    record.Sns.Message = JSON.stringify(message);
    return event;
  };

  it('names every missing field of an SNS notification at once', () => {
    const event = withSnsMessage((message) => {
      delete message.NewStateValue;
      delete message.OldStateValue;
    });
    expect(() => parseAlarmEvent(event)).toThrowError(
      /Records\[0\]\.Sns\.Message\.NewStateValue is missing; Records\[0\]\.Sns\.Message\.OldStateValue is missing/,
    );
  });

  it('rejects an unknown state value, saying which are allowed', () => {
    const event = withSnsMessage((message) => {
      message.NewStateValue = 'ALARMING';
    });
    expect(() => parseAlarmEvent(event)).toThrowError(/"ALARMING", not OK, ALARM or INSUFFICIENT_DATA/);
  });

  it('names the missing alarm name of an EventBridge event', () => {
    const event = clone(eventBridge) as { detail: Record<string, unknown> };
    delete event.detail.alarmName;
    expect(() => parseAlarmEvent(event)).toThrowError(/detail\.alarmName is missing/);
  });

  it('names the missing previous state of an alarm action', () => {
    const event = clone(alarmAction) as { alarmData: Record<string, unknown> };
    delete event.alarmData.previousState;
    const error = (() => {
      try {
        parseAlarmEvent(event);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRedriveTriggerError);
    expect((error as Error).message).toMatch(/alarmData\.previousState\.value is missing/);
  });

  it('says so when the SNS message is not JSON', () => {
    const event = clone(sns);
    (event.Records[0] as (typeof event.Records)[number]).Sns.Message = '{"AlarmName": broken';
    expect(() => parseAlarmEvent(event)).toThrowError(/is not JSON/);
  });

  it('rejects a payload that is no alarm at all', () => {
    expect(() => parseAlarmEvent({ Records: [] })).toThrowError(InvalidRedriveTriggerError);
  });
});
