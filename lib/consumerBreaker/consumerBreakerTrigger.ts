import type { AlarmStateChange } from '../alarms/alarmStateChange.js';
import { isAlarmStateChangePayload, readAlarmStateChanges } from '../alarms/alarmStateChange.js';
import { InvalidEventError } from '../errors.js';

/**
 * What runs the controller: an alarm state change, or the scheduled probe that moves a paused consumer to
 * half-open after the cool-down and reconciles with the alarm state.
 */
export type ConsumerBreakerTrigger =
  | { readonly kind: 'alarm'; readonly change: AlarmStateChange }
  | { readonly kind: 'probe'; readonly at: number };

/** The payload the schedule sends for the half-open probe (an EventBridge "Scheduled Event" works too). */
export const CONSUMER_BREAKER_PROBE_EVENT = {
  source: 'sqs-failsafe',
  'detail-type': 'Breaker Probe',
} as const;

/**
 * What a controller invocation is about: the scheduled probe (CONSUMER_BREAKER_PROBE_EVENT, or an EventBridge
 * "Scheduled Event") or alarm state changes in any of the three delivery shapes. Anything else is an
 * InvalidEventError: the controller must never guess about pausing a consumer.
 *
 * @example
 * for (const trigger of readConsumerBreakerTriggers(event)) reports.push(await controller.handle(trigger));
 */
export function readConsumerBreakerTriggers(
  payload: unknown,
  now: number = Date.now(),
): ConsumerBreakerTrigger[] {
  if (isProbe(payload)) return [{ kind: 'probe', at: now }];
  if (isAlarmStateChangePayload(payload))
    return readAlarmStateChanges(payload).map((change) => ({ kind: 'alarm', change }));
  throw new InvalidEventError(
    'The breaker controller runs on alarm state changes (SNS, EventBridge or the alarm action) and on its ' +
      `schedule (${JSON.stringify(CONSUMER_BREAKER_PROBE_EVENT)} or an EventBridge Scheduled Event); got something else.`,
  );
}

function isProbe(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const event = payload as Record<string, unknown>;
  return (
    (event.source === CONSUMER_BREAKER_PROBE_EVENT.source &&
      event['detail-type'] === CONSUMER_BREAKER_PROBE_EVENT['detail-type']) ||
    (event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event')
  );
}
