import type { AlarmSpec } from '../provision/localResources.js';
import type { MetricStore } from './metricStore.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmTransition {
  readonly alarm: AlarmSpec;
  readonly previous: AlarmState;
  readonly state: AlarmState;
  readonly reason: string;
  readonly at: number;
}

const COMPARE: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (value, threshold) => value > threshold,
  GreaterThanOrEqualToThreshold: (value, threshold) => value >= threshold,
  LessThanThreshold: (value, threshold) => value < threshold,
  LessThanOrEqualToThreshold: (value, threshold) => value <= threshold,
};

/**
 * CloudWatch alarm evaluation on observed datapoints, with time compression: a period of P seconds lasts
 * P / timeScale real seconds, so a 5-minute alarm can fire in seconds locally. M-of-N datapoints to alarm,
 * and TreatMissingData (missing, notBreaching, breaching, ignore) as CloudWatch applies them.
 */
export class AlarmEvaluator {
  readonly #alarms: readonly AlarmSpec[];
  readonly #store: MetricStore;
  readonly #timeScale: number;
  readonly #states = new Map<string, AlarmState>();

  constructor(alarms: readonly AlarmSpec[], store: MetricStore, timeScale: number) {
    this.#alarms = alarms;
    this.#store = store;
    this.#timeScale = timeScale;
    for (const alarm of alarms) this.#states.set(alarm.name, 'INSUFFICIENT_DATA');
  }

  state(alarmName: string): AlarmState | undefined {
    return this.#states.get(alarmName);
  }

  /** Real milliseconds one period of the alarm lasts. */
  periodMs(alarm: AlarmSpec): number {
    return (alarm.periodSeconds * 1_000) / this.#timeScale;
  }

  /** Evaluates every alarm at `now` and returns the state changes. */
  evaluate(now = Date.now()): AlarmTransition[] {
    const transitions: AlarmTransition[] = [];
    for (const alarm of this.#alarms) {
      const next = this.#evaluateOne(alarm, now);
      const previous = this.#states.get(alarm.name) ?? 'INSUFFICIENT_DATA';
      if (next === undefined || next.state === previous) continue;
      this.#states.set(alarm.name, next.state);
      transitions.push({ alarm, previous, state: next.state, reason: next.reason, at: now });
    }
    return transitions;
  }

  #evaluateOne(alarm: AlarmSpec, now: number): { state: AlarmState; reason: string } | undefined {
    const period = this.periodMs(alarm);
    const compare = COMPARE[alarm.comparisonOperator];
    if (compare === undefined) return undefined;
    const values: (number | undefined)[] = [];
    for (let index = alarm.evaluationPeriods; index >= 1; index -= 1) {
      const end = now - (index - 1) * period;
      values.push(
        this.#store.statistic(
          alarm.namespace,
          alarm.metricName,
          alarm.dimensions,
          alarm.statistic,
          end - period,
          end,
        ),
      );
    }
    const present = values.filter((value): value is number => value !== undefined);
    const missing = values.length - present.length;
    let breaching = present.filter((value) => compare(value, alarm.threshold)).length;
    let considered = present.length;
    if (alarm.treatMissingData === 'breaching') {
      breaching += missing;
      considered += missing;
    } else if (alarm.treatMissingData === 'notBreaching') {
      considered += missing;
    }
    const shown = present.map((value) => Number(value.toFixed(2))).join(', ');
    if (breaching >= alarm.datapointsToAlarm) {
      return {
        state: 'ALARM',
        reason: `Threshold Crossed: ${breaching} out of the last ${alarm.evaluationPeriods} datapoints [${shown}] crossed the threshold (${alarm.threshold}) (minimum ${alarm.datapointsToAlarm} datapoints for OK -> ALARM transition).`,
      };
    }
    if (considered === 0) {
      // 'ignore' keeps the current state; 'missing' with no data at all is insufficient data.
      return alarm.treatMissingData === 'ignore'
        ? undefined
        : { state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: no datapoints were received.' };
    }
    return {
      state: 'OK',
      reason: `Threshold Crossed: ${considered - breaching} out of the last ${alarm.evaluationPeriods} datapoints [${shown}] were not crossing the threshold (${alarm.threshold}).`,
    };
  }
}
