import type { AlarmDelivery, AlarmState } from '../../lib/events/index.js';
import action from '../fixtures/events/cloudwatch-alarm-transient-failures-action.json' with { type: 'json' };
import eventBridge from '../fixtures/events/cloudwatch-alarm-transient-failures-eventbridge.json' with {
  type: 'json',
};
import sns from '../fixtures/events/cloudwatch-alarm-transient-failures-sns.json' with { type: 'json' };

/** Alarm state change payloads in the three delivery shapes, from the fixtures, with the parts a test sets. */
export interface AlarmChange {
  readonly state: AlarmState;
  readonly previousState?: AlarmState;
  /** Epoch ms of the change. */
  readonly changedAt: number;
  readonly alarmName?: string;
}

export const ALARM_DELIVERIES: readonly AlarmDelivery[] = ['sns', 'eventbridge', 'alarm-action'];

/** CloudWatch writes alarm times with a +0000 offset, not Z. */
const cloudWatchTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export function alarmPayload(delivery: AlarmDelivery, change: AlarmChange): unknown {
  const alarmName = change.alarmName ?? 'orders-transient-failures';
  const previousState = change.previousState ?? (change.state === 'ALARM' ? 'OK' : 'ALARM');
  if (delivery === 'sns') {
    const payload = structuredClone(sns);
    const record = payload.Records[0] as (typeof payload.Records)[number];
    const message = JSON.parse(record.Sns.Message);
    Object.assign(message, {
      AlarmName: alarmName,
      NewStateValue: change.state,
      OldStateValue: previousState,
      StateChangeTime: cloudWatchTime(change.changedAt),
    });
    record.Sns.Message = JSON.stringify(message);
    return payload;
  }
  const payload = structuredClone(delivery === 'eventbridge' ? eventBridge : action);
  const data = 'detail' in payload ? payload.detail : payload.alarmData;
  data.alarmName = alarmName;
  data.state.value = change.state;
  data.state.timestamp = cloudWatchTime(change.changedAt);
  data.previousState.value = previousState;
  return payload;
}
