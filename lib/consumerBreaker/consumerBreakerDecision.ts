import type { AlarmState } from '../alarms/alarmState.js';
import type { ResolvedConsumerBreakerConfig } from '../config/consumerBreakerConfig.js';
import type { ConsumerBreakerState } from './consumerBreakerState.js';
import type { ConsumerBreakerTrigger } from './consumerBreakerTrigger.js';

/** What the controller does about a trigger. */
export type ConsumerBreakerAction = 'pause' | 'half-open' | 'close' | 'none';

/** Everything a decision depends on; the controller gathers it, this module only decides. */
export interface ConsumerBreakerSituation {
  readonly state: ConsumerBreakerState;
  readonly trigger: ConsumerBreakerTrigger['kind'];
  /** The alarm's state: from the event, or read for a probe that needs it; undefined when unknown. */
  readonly alarmState: AlarmState | undefined;
  /** Milliseconds since the mapping last changed (its LastModified). */
  readonly sinceChangeMs: number;
}

export interface ConsumerBreakerDecision {
  readonly action: ConsumerBreakerAction;
  readonly reason: string;
}

/**
 * Whether a probe must read the alarm state to decide: while closed (to catch an ALARM whose event was
 * lost) and once half-open has run for probeSeconds. A paused consumer needs only the clock.
 */
export function probeNeedsAlarmState(
  state: ConsumerBreakerState,
  sinceChangeMs: number,
  config: ResolvedConsumerBreakerConfig,
): boolean {
  return state === 'closed' || (state === 'half-open' && sinceChangeMs >= config.probeSeconds * 1_000);
}

/**
 * The breaker's transitions:
 *
 * | state     | alarm event ALARM | alarm event OK | probe                                                     |
 * |-----------|-------------------|----------------|-----------------------------------------------------------|
 * | closed    | pause             | -              | pause if the alarm is in ALARM (a lost event)             |
 * | open      | -                 | -              | half-open once coolDownSeconds have passed                |
 * | half-open | pause             | close          | after probeSeconds: pause if in ALARM, otherwise close    |
 *
 * An OK while paused does not resume: a paused consumer sends no metrics, so the alarm may well turn OK
 * for lack of failures; only half-open traffic can show the dependency is back. `stopped` and
 * `transitioning` mappings are left alone.
 */
export function decideConsumerBreakerAction(
  situation: ConsumerBreakerSituation,
  config: ResolvedConsumerBreakerConfig,
): ConsumerBreakerDecision {
  const { state, trigger, alarmState, sinceChangeMs } = situation;
  const seconds = (ms: number) => Math.ceil(ms / 1_000);
  switch (state) {
    case 'stopped':
      return none('the mapping was disabled by someone else (not at the half-open concurrency): left alone');
    case 'transitioning':
      return none('the mapping is being created or deleted');
    case 'closed':
      if (alarmState === 'ALARM')
        return {
          action: 'pause',
          reason:
            trigger === 'alarm'
              ? 'the transient-failure alarm went to ALARM'
              : 'the transient-failure alarm is in ALARM while the consumer runs (its event was missed)',
        };
      return none(`consuming normally (alarm ${alarmState ?? 'state not read'})`);
    case 'open': {
      if (trigger === 'alarm') return none('paused; the scheduled probe resumes it after the cool-down');
      const coolDownMs = config.coolDownSeconds * 1_000;
      if (sinceChangeMs < coolDownMs)
        return none(`cooling down: ${seconds(coolDownMs - sinceChangeMs)} s until the half-open probe`);
      return {
        action: 'half-open',
        reason: `paused for ${seconds(sinceChangeMs)} s (cool-down ${config.coolDownSeconds} s): probing at low concurrency`,
      };
    }
    case 'half-open': {
      if (alarmState === 'ALARM')
        return { action: 'pause', reason: 'failures returned while half-open: the alarm is in ALARM' };
      if (trigger === 'alarm')
        return alarmState === 'OK'
          ? { action: 'close', reason: 'the alarm returned to OK while half-open' }
          : none(`half-open; alarm ${alarmState ?? 'state unknown'}`);
      const probeMs = config.probeSeconds * 1_000;
      if (sinceChangeMs < probeMs)
        return none(`half-open: ${seconds(probeMs - sinceChangeMs)} s left before the alarm decides`);
      return {
        action: 'close',
        reason: `half-open for ${seconds(sinceChangeMs)} s without the alarm in ALARM (${alarmState ?? 'no alarm state'})`,
      };
    }
  }
}

function none(reason: string): ConsumerBreakerDecision {
  return { action: 'none', reason };
}
