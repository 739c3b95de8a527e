import { describe, expect, it } from 'vitest';
import { isAlarmStateChangePayload, readAlarmStateChanges } from '../../../lib/events/index.js';
import { InvalidEventError } from '../../../lib/index.js';
import action from '../../fixtures/events/cloudwatch-alarm-transient-failures-action.json' with {
  type: 'json',
};
import eventBridge from '../../fixtures/events/cloudwatch-alarm-transient-failures-eventbridge.json' with {
  type: 'json',
};
import sns from '../../fixtures/events/cloudwatch-alarm-transient-failures-sns.json' with { type: 'json' };
import sqsEvent from '../../fixtures/events/sqs-event.json' with { type: 'json' };

const ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-transient-failures';
const CHANGED_AT = Date.parse('2026-11-24T20:41:07.120Z');
const TRANSIENT_FAILURES = {
  namespace: 'SqsFailsafe',
  metricName: 'TransientFailures',
  dimensions: { QueueName: 'orders' },
};

describe('alarm state changes in the three delivery shapes', () => {
  it.each([
    ['sns', sns, { reason: expect.stringMatching(/^Threshold Crossed/), metrics: [TRANSIENT_FAILURES] }],
    ['eventbridge', eventBridge, { metrics: [{ id: 'm1', ...TRANSIENT_FAILURES }] }],
    ['alarm-action', action, { metrics: [{ id: 'm1', ...TRANSIENT_FAILURES }] }],
  ])('reads the %s shape into the same change', (delivery, payload, specific) => {
    expect(isAlarmStateChangePayload(payload)).toBe(true);
    expect(readAlarmStateChanges(payload)).toEqual([
      {
        alarmName: 'orders-transient-failures',
        alarmArn: ALARM_ARN,
        state: 'ALARM',
        previousState: 'OK',
        reason: expect.stringMatching(/^Threshold Crossed/),
        changedAt: CHANGED_AT,
        region: 'eu-west-1',
        accountId: '111122223333',
        delivery,
        ...specific,
      },
    ]);
  });

  it('takes the region code from the alarm ARN, not the display name SNS sends', () => {
    const [change] = readAlarmStateChanges(sns);
    expect(JSON.parse(sns.Records[0]?.Sns.Message ?? '{}').Region).toBe('EU (Ireland)');
    expect(change?.region).toBe('eu-west-1');
  });

  it('reads metric-math alarms through SNS (Trigger.Metrics) with their expression', () => {
    const payload = structuredClone(sns);
    const record = payload.Records[0] as (typeof payload.Records)[number];
    const message = JSON.parse(record.Sns.Message);
    message.Trigger = {
      Metrics: [
        {
          Id: 'rate',
          Expression: 'failures / (failures + succeeded)',
          ReturnData: true,
        },
        {
          Id: 'failures',
          MetricStat: {
            Metric: {
              Namespace: 'SqsFailsafe',
              MetricName: 'TransientFailures',
              Dimensions: [{ name: 'QueueName', value: 'orders' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: false,
        },
      ],
    };
    record.Sns.Message = JSON.stringify(message);
    expect(readAlarmStateChanges(payload)[0]?.metrics).toEqual([
      { id: 'rate', expression: 'failures / (failures + succeeded)', dimensions: {} },
      { id: 'failures', ...TRANSIENT_FAILURES },
    ]);
  });

  it('reads one change per SNS record', () => {
    const payload = { Records: [sns.Records[0], sns.Records[0]] };
    expect(readAlarmStateChanges(payload)).toHaveLength(2);
  });

  it('falls back to the event time when the state has no timestamp', () => {
    const payload = structuredClone(eventBridge) as { detail: { state: { timestamp?: string } } };
    delete payload.detail.state.timestamp;
    expect(readAlarmStateChanges(payload)[0]?.changedAt).toBe(Date.parse('2026-11-24T20:41:07Z'));
  });

  it('reads a composite alarm (no metrics)', () => {
    const payload = structuredClone(eventBridge) as { detail: { configuration: object } };
    payload.detail.configuration = { alarmRule: 'ALARM(a) OR ALARM(b)' };
    expect(readAlarmStateChanges(payload)[0]?.metrics).toEqual([]);
  });

  it.each([
    ['null', null, /got null/],
    ['an SQS event', sqsEvent, /Records\[0\] is not an SNS record/],
    [
      'an EventBridge event of another kind',
      { source: 'aws.ec2', 'detail-type': 'EC2 Instance State' },
      /keys source, detail-type/,
    ],
    [
      'an SNS message that is not an alarm',
      { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'hello' } }] },
      /Records\[0\]\.Sns\.Message is not JSON/,
    ],
    [
      'an alarm notification without a name',
      { Records: [{ EventSource: 'aws:sns', Sns: { Message: '{"NewStateValue":"OK"}' } }] },
      /Records\[0\]\.Sns\.Message\.AlarmName is missing/,
    ],
    [
      'an unknown state',
      { ...action, alarmData: { ...action.alarmData, state: { value: 'BROKEN' } } },
      /alarmData\.state\.value is "BROKEN", expected OK, ALARM or INSUFFICIENT_DATA/,
    ],
    [
      'no time at all',
      { ...action, time: undefined, alarmData: { ...action.alarmData, state: { value: 'OK' } } },
      /alarmData\.state\.timestamp is missing or not a time/,
    ],
  ])('rejects %s with an InvalidEventError that says what is wrong', (_, payload, message) => {
    expect(() => readAlarmStateChanges(payload)).toThrow(InvalidEventError);
    expect(() => readAlarmStateChanges(payload)).toThrow(message);
  });

  it('tells alarm payloads from others without throwing', () => {
    expect(isAlarmStateChangePayload(sqsEvent)).toBe(false);
    expect(isAlarmStateChangePayload({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).toBe(false);
    expect(isAlarmStateChangePayload('ALARM')).toBe(false);
  });
});
