import type { AlarmSpec, CompositeAlarmSpec } from '../provision/localResources.js';
import { type MathValue, type MetricMathExpression, parseMetricMath } from './metricMath.js';
import type { MetricStore } from './metricStore.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmTransition {
  readonly alarm: AlarmSpec | CompositeAlarmSpec;
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

  readonly #readers = new Map<string, (from: number, to: number) => MathValue>();

  /** The alarm's value over one period: its metric's statistic, or its metric-math expression. */
  #reader(alarm: AlarmSpec): (from: number, to: number) => MathValue {
    const cached = this.#readers.get(alarm.name);
    if (cached !== undefined) return cached;
    const statistic =
      (stat: NonNullable<AlarmSpec['metric']>) =>
      (from: number, to: number): MathValue =>
        this.#store.statistic(stat.namespace, stat.metricName, stat.dimensions, stat.statistic, from, to);
    let reader: (from: number, to: number) => MathValue;
    if (alarm.metric !== undefined) {
      reader = statistic(alarm.metric);
    } else {
      const reads = alarm.metrics.flatMap((query) =>
        query.metricStat === undefined ? [] : [[query.id, statistic(query.metricStat)] as const],
      );
      const expressions = alarm.metrics.flatMap((query) =>
        query.expression === undefined ? [] : [[query.id, parseMetricMath(query.expression)] as const],
      );
      const returned = alarm.metrics.find((query) => query.returnData)?.id;
      reader = (from, to) => {
        const values = new Map<string, MathValue>(reads.map(([id, read]) => [id, read(from, to)]));
        // Expressions may build on each other, in the order the alarm lists them.
        for (const [id, expression] of expressions)
          values.set(id, (expression as MetricMathExpression)(values));
        return returned === undefined ? undefined : values.get(returned);
      };
    }
    this.#readers.set(alarm.name, reader);
    return reader;
  }

  #evaluateOne(alarm: AlarmSpec, now: number): { state: AlarmState; reason: string } | undefined {
    const period = this.periodMs(alarm);
    const compare = COMPARE[alarm.comparisonOperator];
    if (compare === undefined) return undefined;
    const read = this.#reader(alarm);
    const values: MathValue[] = [];
    for (let index = alarm.evaluationPeriods; index >= 1; index -= 1) {
      const end = now - (index - 1) * period;
      values.push(read(end - period, end));
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
