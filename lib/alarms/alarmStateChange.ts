import { InvalidEventError } from '../errors.js';
import type { AlarmState } from './alarmState.js';

/** How the alarm state change reached the function (docs/aws-semantics.md#cloudwatch-alarms). */
export type AlarmDelivery = 'sns' | 'eventbridge' | 'alarm-action';

/** One metric an alarm watches: a metric, or a metric-math expression (`expression`, no namespace). */
export interface AlarmMetric {
  /** The metric's id in a metric-math alarm. */
  readonly id?: string | undefined;
  readonly namespace?: string | undefined;
  readonly metricName?: string | undefined;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly expression?: string | undefined;
}

/** An alarm state change, the same whichever way it was delivered. */
export interface AlarmStateChange {
  readonly alarmName: string;
  readonly alarmArn: string | undefined;
  readonly state: AlarmState;
  readonly previousState: AlarmState | undefined;
  readonly reason: string | undefined;
  /** Epoch ms of the change. */
  readonly changedAt: number;
  /** The region code (from the event, or the alarm ARN). */
  readonly region: string | undefined;
  readonly accountId: string | undefined;
  /** What the alarm watches; empty for composite alarms. */
  readonly metrics: readonly AlarmMetric[];
  readonly delivery: AlarmDelivery;
}

/**
 * CloudWatch alarm state changes reach a Lambda function in three shapes
 * (docs/aws-semantics.md#cloudwatch-alarms): through an SNS topic, as an EventBridge "CloudWatch Alarm State
 * Change" event, or from the alarm's own Lambda action. This reads all three into one shape, so a function
 * handles the change, not the delivery. Deliberately general (every field the three share, metrics included)
 * so that any function triggered by an alarm can use it.
 */

const STATES: ReadonlySet<string> = new Set<AlarmState>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/**
 * True when the payload has one of the three shapes (it may still be malformed inside).
 *
 * @example
 * if (isAlarmStateChangePayload(event)) return onAlarm(readAlarmStateChanges(event));
 */
export function isAlarmStateChangePayload(payload: unknown): boolean {
  if (!isObject(payload)) return false;
  if (Array.isArray(payload.Records))
    return payload.Records.some((record) => isObject(record) && record.EventSource === 'aws:sns');
  return payload.source === 'aws.cloudwatch' && (isObject(payload.detail) || isObject(payload.alarmData));
}

/**
 * Every alarm state change in the payload: one for EventBridge and the alarm action, one per record for
 * SNS. Throws an InvalidEventError naming what is missing when the payload is none of the three shapes or
 * lacks the alarm name, the new state or the time of the change.
 *
 * @example
 * export const handler = async (event: unknown) => {
 *   for (const change of readAlarmStateChanges(event)) {
 *     if (change.state === 'ALARM') await page(change.alarmName, change.reason);
 *   }
 * };
 */
export function readAlarmStateChanges(payload: unknown): AlarmStateChange[] {
  if (!isObject(payload)) throw invalid(`got ${payload === null ? 'null' : typeof payload}`);
  if (Array.isArray(payload.Records)) return payload.Records.map(fromSnsRecord);
  if (payload.source === 'aws.cloudwatch' && isObject(payload.alarmData)) return [fromAlarmAction(payload)];
  if (payload.source === 'aws.cloudwatch' && payload['detail-type'] === 'CloudWatch Alarm State Change')
    return [fromEventBridge(payload)];
  const keys = Object.keys(payload).slice(0, 8).join(', ');
  throw invalid(`got an object with keys ${keys || '(none)'}`);
}

/** 1. SNS: the alarm notification is a JSON string in `Sns.Message`, with PascalCase fields. */
function fromSnsRecord(record: unknown, index: number): AlarmStateChange {
  const where = `Records[${index}]`;
  if (!isObject(record) || record.EventSource !== 'aws:sns' || !isObject(record.Sns))
    throw invalid(`${where} is not an SNS record (EventSource "aws:sns" with an Sns object)`);
  let message: unknown;
  try {
    message = JSON.parse(String(record.Sns.Message));
  } catch {
    throw invalid(`${where}.Sns.Message is not JSON, so not a CloudWatch alarm notification`);
  }
  if (!isObject(message)) throw invalid(`${where}.Sns.Message is not a JSON object`);
  const alarmArn = text(message.AlarmArn);
  return {
    alarmName: required(text(message.AlarmName), `${where}.Sns.Message.AlarmName`),
    alarmArn,
    state: stateOf(message.NewStateValue, `${where}.Sns.Message.NewStateValue`),
    previousState: optionalState(message.OldStateValue),
    reason: text(message.NewStateReason),
    changedAt: timeOf(
      [message.StateChangeTime, record.Sns.Timestamp],
      `${where}.Sns.Message.StateChangeTime`,
    ),
    // `Region` is a display name ("EU (Ireland)"); the ARN holds the code.
    region: arnPart(alarmArn, 3),
    accountId: text(message.AWSAccountId) ?? arnPart(alarmArn, 4),
    metrics: snsMetrics(message.Trigger),
    delivery: 'sns',
  };
}

/** 2. EventBridge: camelCase `detail`, dimensions as an object, the alarm ARN in `resources`. */
function fromEventBridge(event: Record<string, unknown>): AlarmStateChange {
  const alarmArn = Array.isArray(event.resources) ? text(event.resources[0]) : undefined;
  return fromAlarmData(isObject(event.detail) ? event.detail : {}, 'detail', {
    alarmArn,
    time: event.time,
    region: text(event.region),
    accountId: text(event.account),
    delivery: 'eventbridge',
  });
}

/** 3. The alarm's Lambda action: like EventBridge's detail, under `alarmData`, with top-level ids. */
function fromAlarmAction(event: Record<string, unknown>): AlarmStateChange {
  return fromAlarmData(event.alarmData as Record<string, unknown>, 'alarmData', {
    alarmArn: text(event.alarmArn),
    time: event.time,
    region: text(event.region),
    accountId: text(event.accountId),
    delivery: 'alarm-action',
  });
}

/** The alarm data EventBridge and the Lambda action share; `path` names it in errors. */
function fromAlarmData(
  data: Record<string, unknown>,
  path: string,
  envelope: {
    readonly alarmArn: string | undefined;
    readonly time: unknown;
    readonly region: string | undefined;
    readonly accountId: string | undefined;
    readonly delivery: AlarmStateChange['delivery'];
  },
): AlarmStateChange {
  const state = isObject(data.state) ? data.state : {};
  const previous = isObject(data.previousState) ? data.previousState : {};
  const { alarmArn } = envelope;
  return {
    alarmName: required(text(data.alarmName), `${path}.alarmName`),
    alarmArn,
    state: stateOf(state.value, `${path}.state.value`),
    previousState: optionalState(previous.value),
    reason: text(state.reason),
    changedAt: timeOf([state.timestamp, envelope.time], `${path}.state.timestamp`),
    region: envelope.region ?? arnPart(alarmArn, 3),
    accountId: envelope.accountId ?? arnPart(alarmArn, 4),
    metrics: configurationMetrics(data.configuration),
    delivery: envelope.delivery,
  };
}

/** SNS `Trigger`: one metric (MetricName, Namespace, Dimensions [{ name, value }]) or metric math. */
function snsMetrics(trigger: unknown): AlarmMetric[] {
  if (!isObject(trigger)) return [];
  if (Array.isArray(trigger.Metrics)) {
    return trigger.Metrics.filter(isObject).map((entry) => {
      const stat = isObject(entry.MetricStat) ? entry.MetricStat : {};
      const metric = isObject(stat.Metric) ? stat.Metric : {};
      return metricOf(
        entry.Id,
        metric.Namespace,
        metric.MetricName,
        dimensionList(metric.Dimensions),
        entry.Expression,
      );
    });
  }
  return [
    metricOf(undefined, trigger.Namespace, trigger.MetricName, dimensionList(trigger.Dimensions), undefined),
  ];
}

/** EventBridge and alarm action `configuration.metrics[]`: `{ id, metricStat: { metric }, expression }`. */
function configurationMetrics(configuration: unknown): AlarmMetric[] {
  if (!isObject(configuration) || !Array.isArray(configuration.metrics)) return [];
  return configuration.metrics.filter(isObject).map((entry) => {
    const stat = isObject(entry.metricStat) ? entry.metricStat : {};
    const metric = isObject(stat.metric) ? stat.metric : {};
    const dimensions = isObject(metric.dimensions)
      ? Object.fromEntries(Object.entries(metric.dimensions).map(([name, value]) => [name, String(value)]))
      : {};
    return metricOf(entry.id, metric.namespace, metric.name, dimensions, entry.expression);
  });
}

function metricOf(
  id: unknown,
  namespace: unknown,
  metricName: unknown,
  dimensions: Record<string, string>,
  expression: unknown,
): AlarmMetric {
  return {
    ...(text(id) === undefined ? {} : { id: text(id) }),
    ...(text(namespace) === undefined ? {} : { namespace: text(namespace) }),
    ...(text(metricName) === undefined ? {} : { metricName: text(metricName) }),
    dimensions,
    ...(text(expression) === undefined ? {} : { expression: text(expression) }),
  };
}

/** SNS dimensions are `[{ name, value }]` (the API's own `Name`/`Value` accepted too). */
function dimensionList(dimensions: unknown): Record<string, string> {
  if (!Array.isArray(dimensions)) return {};
  const entries: [string, string][] = [];
  for (const dimension of dimensions) {
    if (!isObject(dimension)) continue;
    const name = text(dimension.name ?? dimension.Name);
    const value = text(dimension.value ?? dimension.Value);
    if (name !== undefined && value !== undefined) entries.push([name, value]);
  }
  return Object.fromEntries(entries);
}

function stateOf(value: unknown, field: string): AlarmState {
  if (typeof value === 'string' && STATES.has(value)) return value as AlarmState;
  throw invalid(`${field} is ${JSON.stringify(value)}, expected OK, ALARM or INSUFFICIENT_DATA`);
}

function optionalState(value: unknown): AlarmState | undefined {
  return typeof value === 'string' && STATES.has(value) ? (value as AlarmState) : undefined;
}

/** Alarm times come as ISO 8601, with `+0000` offsets in the SNS and alarm-action shapes. */
function timeOf(candidates: readonly unknown[], field: string): number {
  for (const candidate of candidates) {
    const time = typeof candidate === 'string' ? Date.parse(candidate) : Number.NaN;
    if (Number.isFinite(time)) return time;
  }
  throw invalid(`${field} is missing or not a time`);
}

function required(value: string | undefined, field: string): string {
  if (value === undefined) throw invalid(`${field} is missing`);
  return value;
}

/** arn:partition:cloudwatch:region:account:alarm:name */
function arnPart(arn: string | undefined, index: number): string | undefined {
  const part = arn?.split(':')[index];
  return part === undefined || part === '' ? undefined : part;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(problem: string): InvalidEventError {
  return new InvalidEventError(
    'Expected a CloudWatch alarm state change (through SNS, EventBridge "CloudWatch Alarm State Change", ' +
      `or the alarm's Lambda action); ${problem}.`,
    { problem },
  );
}
