import { isAlarmStateChangePayload, readAlarmStateChanges } from '../alarms/alarmStateChange.js';
import { InvalidEventError } from '../errors.js';
import type { BreakerTrigger } from '../types.js';
import { BREAKER_PROBE_EVENT } from './breakerConfig.js';

/**
 * What a controller invocation is about: the scheduled probe (BREAKER_PROBE_EVENT, or an EventBridge
 * "Scheduled Event") or alarm state changes in any of the three delivery shapes. Anything else is an
 * InvalidEventError: the controller must never guess about pausing a consumer.
 *
 * @example
 * for (const trigger of readBreakerTriggers(event)) reports.push(await controller.handle(trigger));
 */
export function readBreakerTriggers(payload: unknown, now: number = Date.now()): BreakerTrigger[] {
  if (isProbe(payload)) return [{ kind: 'probe', at: now }];
  if (isAlarmStateChangePayload(payload))
    return readAlarmStateChanges(payload).map((change) => ({ kind: 'alarm', change }));
  throw new InvalidEventError(
    'The breaker controller runs on alarm state changes (SNS, EventBridge or the alarm action) and on its ' +
      `schedule (${JSON.stringify(BREAKER_PROBE_EVENT)} or an EventBridge Scheduled Event); got something else.`,
  );
}

function isProbe(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const event = payload as Record<string, unknown>;
  return (
    (event.source === BREAKER_PROBE_EVENT.source &&
      event['detail-type'] === BREAKER_PROBE_EVENT['detail-type']) ||
    (event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event')
  );
}
