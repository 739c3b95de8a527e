import type { AlarmState } from '../alarms/alarmEvaluator.js';
import type { AlarmSpec, CompositeAlarmSpec } from '../provision/localResources.js';
import { shortAlarmName } from './runSample.js';

/** One alarm state change in a run, in words. */
export interface AlarmTimelineEntry {
  /** Epoch ms. */
  readonly at: number;
  /** Short name (`ConsumerHealth`). */
  readonly alarm: string;
  readonly previous: AlarmState;
  readonly state: AlarmState;
  /** What crossed the threshold, or which alarms made a composite alarm change. */
  readonly why: string;
  /** How many actions the change started (a redrive, the breaker, an e-mail). */
  readonly actions: number;
}

/**
 * Why an alarm changed, from its definition: a metric alarm names its metric, the datapoints and the
 * threshold; a composite alarm names the alarms in ALARM that its rule looks at.
 *
 * @example
 * alarmWhy(spec, 'Threshold Crossed: 1 out of the last 1 datapoints [3] crossed the threshold (0) ...', states)
 * // 'ApproximateNumberOfMessagesVisible 3 > 0'
 */
export function alarmWhy(
  alarm: AlarmSpec | CompositeAlarmSpec | undefined,
  reason: string,
  states: ReadonlyMap<string, AlarmState>,
): string {
  if (alarm === undefined) return reason;
  if (alarm.kind === 'composite') {
    const inAlarm = [...states]
      .filter(([name, state]) => state === 'ALARM' && name !== alarm.name && alarm.rule.includes(name))
      .map(([name]) => shortAlarmName(name));
    return inAlarm.length === 0 ? 'none of its alarms is in ALARM' : `${inAlarm.join(', ')} in ALARM`;
  }
  const metric =
    alarm.metric?.metricName ?? alarm.metrics.find((query) => query.returnData)?.label ?? 'the expression';
  const datapoints = /\[([^\]]*)\]/.exec(reason)?.[1] ?? '';
  const operator = OPERATORS[alarm.comparisonOperator] ?? alarm.comparisonOperator;
  if (reason.startsWith('Insufficient Data')) return `no ${metric} datapoints`;
  return `${metric} ${datapoints || '-'} (threshold ${operator} ${alarm.threshold})`;
}

const OPERATORS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

/**
 * The alarm changes of a run as a table, one row each, with the time since the start both as it passed
 * here and as it would on AWS (waits run `timeScale` times faster locally).
 */
export function alarmTimelineTable(
  entries: readonly AlarmTimelineEntry[],
  startedAt: number,
  timeScale: number,
): string {
  const rows = [[...ALARM_TIMELINE_HEADER], ...alarmTimelineRows(entries, startedAt, timeScale)];
  const widths = (rows[0] as string[]).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}

export const ALARM_TIMELINE_HEADER = ['time', 'on AWS', 'alarm', 'change', 'why'] as const;

/** The timeline's rows, in the columns of ALARM_TIMELINE_HEADER. */
export function alarmTimelineRows(
  entries: readonly AlarmTimelineEntry[],
  startedAt: number,
  timeScale: number,
): string[][] {
  return entries.map((entry) => {
    const seconds = Math.max(0, (entry.at - startedAt) / 1_000);
    return [
      `+${seconds.toFixed(1)} s`,
      awsDuration(seconds * timeScale),
      entry.alarm,
      `${entry.previous} -> ${entry.state}`,
      `${entry.why}${entry.actions > 0 ? `; ${entry.actions} action${entry.actions === 1 ? '' : 's'}` : ''}`,
    ];
  });
}

/** `45 s`, `12 min`, `1 h 30 min`. */
export function awsDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
