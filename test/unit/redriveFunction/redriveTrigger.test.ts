import { describe, expect, it } from 'vitest';
import { InvalidRedriveTriggerError } from '../../../lib/redrive/index.js';
import { parseRedriveTrigger } from '../../../lib/redriveFunction/redriveTrigger.js';
import alarmAction from '../../fixtures/events/cloudwatch-alarm-action.json' with { type: 'json' };
import eventBridge from '../../fixtures/events/cloudwatch-alarm-eventbridge.json' with { type: 'json' };
import sns from '../../fixtures/events/cloudwatch-alarm-sns.json' with { type: 'json' };
import schedule from '../../fixtures/events/eventbridge-scheduled-event.json' with { type: 'json' };
import snsEvent from '../../fixtures/events/sns-event.json' with { type: 'json' };
import sqsEvent from '../../fixtures/events/sqs-event.json' with { type: 'json' };

describe('parseRedriveTrigger', () => {
  it.each([
    ['SNS alarm', sns],
    ['EventBridge alarm', eventBridge],
    ['alarm action', alarmAction],
  ])('reads a %s as an alarm trigger', (_label, event) => {
    expect(parseRedriveTrigger(event).kind).toBe('alarm');
  });

  it('reads an EventBridge schedule', () => {
    expect(parseRedriveTrigger(schedule)).toEqual({ kind: 'schedule' });
  });

  it('reads a manual request, parsing its filters', () => {
    const trigger = parseRedriveTrigger({
      dlq: 'orders-dlq',
      source: 'orders',
      max: 50,
      dryRun: true,
      filter: ['errorClass=TimeoutError', '$.order.region=eu'],
    });
    expect(trigger).toEqual({
      kind: 'manual',
      request: {
        dlq: 'orders-dlq',
        source: 'orders',
        max: 50,
        dryRun: true,
        filters: [{ errorClass: 'TimeoutError' }, { jsonPath: '$.order.region', equals: 'eu' }],
      },
    });
  });

  it('reads a continuation the function sent itself', () => {
    const continuation = { runId: 'r-1', chain: 2, remaining: 400, startedBy: 'dlq-alarm' };
    expect(parseRedriveTrigger({ sqsFailsafeRedrive: { continuation } })).toEqual({
      kind: 'continuation',
      continuation,
    });
  });

  it.each([
    ['an empty object', {}, /Unknown redrive trigger \(an empty object\)/],
    ['null', null, /expected an object, got null/],
    ['an SQS event', sqsEvent, /not a CloudWatch alarm notification through SNS/],
    ['an SNS message that is no alarm', snsEvent, /Records\[0\]\.Sns\.Message\.AlarmName is missing/],
    [
      'another CloudWatch event',
      { source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm Configuration Change' },
      /not an alarm state change/,
    ],
    [
      'a manual request with bad values',
      { max: -1, dryRun: 'yes' },
      /max: must be an integer from 1 to .*; dryRun: must be true or false/,
    ],
    [
      'a manual request with an unknown key',
      { dlq: 'x', maxMessages: 3 },
      /maxMessages: is not a known option/,
    ],
    ['a manual request with a bad filter', { filter: 'colour=red' }, /filter: "colour=red": unknown filter/],
    [
      'a broken continuation',
      { sqsFailsafeRedrive: { continuation: { runId: 'r', chain: 0 } } },
      /Invalid redrive continuation/,
    ],
  ])('rejects %s with a clear error', (_label, event, message) => {
    expect(() => parseRedriveTrigger(event)).toThrowError(InvalidRedriveTriggerError);
    expect(() => parseRedriveTrigger(event)).toThrowError(message);
  });
});
