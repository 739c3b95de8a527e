import type { AlarmState } from '../alarms/alarmState.js';
import type { ResolvedRedriveConfig } from '../config/redriveConfig.js';
import type { RedriveState } from './redriveState.js';
import type { RedriveTrigger } from './redriveTrigger.js';
import { isOpen } from './returnBreaker.js';

export type RedriveDecision =
  | {
      readonly run: true;
      readonly reason: string;
      /** What started the run, for events and logs. */
      readonly startedBy: string;
      /** Manual runs are an operator's call: no cooldown, no return breaker. */
      readonly guarded: boolean;
    }
  | { readonly run: false; readonly reason: string };

/**
 * When the redrive function redrives (docs/redrive.md, "Policy"):
 * - the consumer's health alarm goes from ALARM to OK: the dependency recovered, so what failed on it can
 *   succeed now;
 * - the DLQ alarm goes to ALARM and the cooldown has passed since the last run: messages pile up, but a
 *   redrive at most every `cooldownSeconds` keeps a failing consumer from being flooded;
 * - a schedule fires: it goes on with a drain under way (continuation "schedule"), or redrives when the
 *   cooldown has passed; with continuation "self-invoke" only while the DLQ alarm is still in ALARM, which is
 *   how a DLQ alarm that arrived during the cooldown is looked at again (an alarm acts only when its state
 *   changes: docs/aws-semantics.md#alarm-actions-run-on-state-changes);
 * - but neither the DLQ alarm nor the schedule starts a redrive while the health alarm is in ALARM (an
 *   outage: the redriven messages would only fail again); its return to OK redrives then;
 * - the function's own continuation: always, up to `maxContinuations`;
 * - by hand: always.
 * Every other alarm transition is ignored. Automatic triggers are refused while the return breaker is open.
 */
export function decideRedrive(
  trigger: RedriveTrigger,
  config: ResolvedRedriveConfig,
  state: RedriveState,
  now: number,
  /** The health alarm's state now, read for the DLQ-alarm and schedule triggers; undefined when unknown. */
  healthAlarmState?: AlarmState,
  /** The DLQ alarm's state now, read for the schedule with continuation "self-invoke"; undefined when unknown. */
  deadLetterAlarmState?: AlarmState,
): RedriveDecision {
  if (trigger.kind === 'manual')
    return { run: true, reason: 'asked for by hand', startedBy: 'manual', guarded: false };

  if (isOpen(state, now)) {
    return {
      run: false,
      reason: `the circuit breaker is open until ${new Date(state.openUntil).toISOString()}: redriven messages kept coming back`,
    };
  }
  const cooldownLeft = state.lastRunAt + config.cooldownSeconds * 1_000 - now;

  if (trigger.kind === 'continuation') {
    const { chain } = trigger.continuation;
    if (chain > config.maxContinuations) {
      return {
        run: false,
        reason: `continuation ${chain} exceeds maxContinuations (${config.maxContinuations})`,
      };
    }
    return {
      run: true,
      reason: `continuation ${chain} of a run started by ${trigger.continuation.startedBy}`,
      startedBy: trigger.continuation.startedBy,
      guarded: true,
    };
  }

  const unhealthy =
    healthAlarmState === 'ALARM'
      ? ({
          run: false,
          reason: `the consumer is unhealthy (health alarm ${config.healthAlarmName} is in ALARM): its return to OK will redrive`,
        } as const)
      : undefined;

  if (trigger.kind === 'schedule') {
    if (state.draining)
      return { run: true, reason: 'the schedule goes on with a drain', startedBy: 'schedule', guarded: true };
    if (unhealthy !== undefined) return unhealthy;
    if (cooldownLeft > 0)
      return { run: false, reason: `cooldown: ${Math.ceil(cooldownLeft / 1_000)} s left` };
    if (config.continuation === 'schedule')
      return {
        run: true,
        reason: 'scheduled, and the cooldown has passed',
        startedBy: 'schedule',
        guarded: true,
      };
    // A re-check: an unknown state redrives too (the engine finds an empty DLQ in one receive).
    if (deadLetterAlarmState !== undefined && deadLetterAlarmState !== 'ALARM') {
      return {
        run: false,
        reason: `the DLQ alarm ${config.dlqAlarmName ?? ''} is ${deadLetterAlarmState}: no dead letter waits for a skipped trigger`,
      };
    }
    return {
      run: true,
      reason: `the DLQ alarm ${config.dlqAlarmName ?? ''} is still in ALARM and the cooldown has passed: a skipped trigger is looked at again`,
      startedBy: 'schedule',
      guarded: true,
    };
  }

  const { alarm } = trigger;
  const transition = `${alarm.previousState ?? 'UNKNOWN'} -> ${alarm.state}`;
  if (alarm.alarmName === config.healthAlarmName) {
    if (alarm.previousState === 'ALARM' && alarm.state === 'OK') {
      return {
        run: true,
        reason: `health alarm ${alarm.alarmName} returned to OK: the dependency recovered`,
        startedBy: 'health-alarm',
        guarded: true,
      };
    }
    return {
      run: false,
      reason: `health alarm ${alarm.alarmName} went ${transition}; only ALARM -> OK redrives`,
    };
  }
  if (alarm.alarmName === config.dlqAlarmName) {
    if (alarm.state !== 'ALARM') {
      return {
        run: false,
        reason: `DLQ alarm ${alarm.alarmName} went ${transition}; only a change to ALARM redrives`,
      };
    }
    if (unhealthy !== undefined) return unhealthy;
    if (cooldownLeft > 0) {
      return {
        run: false,
        reason: `DLQ alarm fired during the cooldown: ${Math.ceil(cooldownLeft / 1_000)} s left`,
      };
    }
    return {
      run: true,
      reason: `DLQ alarm ${alarm.alarmName} fired and the cooldown has passed`,
      startedBy: 'dlq-alarm',
      guarded: true,
    };
  }
  return {
    run: false,
    reason: `alarm ${alarm.alarmName} is neither the health alarm (${config.healthAlarmName ?? 'none'}) nor the DLQ alarm (${config.dlqAlarmName ?? 'none'})`,
  };
}

/** Whether a decision on this trigger depends on the DLQ alarm's current state (the schedule's re-check). */
export function needsDeadLetterAlarmState(trigger: RedriveTrigger, config: ResolvedRedriveConfig): boolean {
  return (
    trigger.kind === 'schedule' && config.continuation === 'self-invoke' && config.dlqAlarmName !== undefined
  );
}

/** Whether a decision on this trigger depends on the health alarm's current state. */
export function needsHealthAlarmState(trigger: RedriveTrigger, config: ResolvedRedriveConfig): boolean {
  if (config.healthAlarmName === undefined) return false;
  if (trigger.kind === 'schedule') return true;
  return (
    trigger.kind === 'alarm' &&
    trigger.alarm.alarmName === config.dlqAlarmName &&
    trigger.alarm.state === 'ALARM'
  );
}
