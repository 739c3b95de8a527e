import { InvalidRedriveTriggerError } from '../errors.js';
import type { AlarmDelivery, AlarmState, AlarmStateChange } from './types.js';

const STATES = new Set<string>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** Which alarm payload this is, without reading further; undefined when it is none of the three. */
export function alarmDeliveryOf(event: unknown): AlarmDelivery | undefined {
  if (!isObject(event)) return undefined;
  if (event.source === 'aws.cloudwatch') {
    if (event['detail-type'] === 'CloudWatch Alarm State Change') return 'eventbridge';
    if ('alarmData' in event) return 'alarm-action';
    return undefined;
  }
  const record = Array.isArray(event.Records) ? event.Records[0] : undefined;
  if (isObject(record) && record.EventSource === 'aws:sns' && isObject(record.Sns)) {
    const message = record.Sns.Message;
    // Only an alarm notification is ours; other SNS messages are reported as unknown by the caller.
    return typeof message === 'string' && message.includes('"AlarmName"') ? 'sns' : undefined;
  }
  return undefined;
}

/**
 * Normalises the three shapes CloudWatch uses to tell a Lambda function about an alarm:
 * - through SNS: `Records[0].Sns.Message` is a JSON string with `AlarmName`, `NewStateValue`,
 *   `OldStateValue`, `AlarmArn` (its `Region` is a display name, so the region is read from the ARN);
 * - EventBridge: `detail-type: "CloudWatch Alarm State Change"`, `detail.alarmName`, `detail.state.value`,
 *   `detail.previousState.value`;
 * - the alarm's own Lambda action: `alarmArn`, `region`, `alarmData.alarmName`, `alarmData.state.value`,
 *   `alarmData.previousState.value`.
 * Throws an InvalidRedriveTriggerError naming every field that is missing or invalid.
 *
 * @example
 * const change = parseAlarmEvent(event);
 * if (change.alarmName === 'orders-health' && change.state === 'OK') startRedrive();
 */
export function parseAlarmEvent(event: unknown): AlarmStateChange {
  const delivery = alarmDeliveryOf(event);
  if (delivery === undefined) {
    throw new InvalidRedriveTriggerError(
      'Not a CloudWatch alarm payload (SNS notification, EventBridge "CloudWatch Alarm State Change" or alarm action).',
    );
  }
  const source = event as Record<string, unknown>;
  if (delivery === 'sns') return fromSns(source);
  if (delivery === 'eventbridge') return fromEventBridge(source);
  return fromAlarmAction(source);
}

function fromSns(event: Record<string, unknown>): AlarmStateChange {
  const record = (event.Records as Record<string, unknown>[])[0] as Record<string, unknown>;
  const text = (record.Sns as Record<string, unknown>).Message as string;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new InvalidRedriveTriggerError("The SNS alarm notification's Records[0].Sns.Message is not JSON.");
  }
  const fields = new Fields('Records[0].Sns.Message', message);
  const alarmArn = fields.optionalString('AlarmArn');
  const change = {
    delivery: 'sns' as const,
    alarmName: fields.string('AlarmName'),
    state: fields.state('NewStateValue'),
    previousState: fields.state('OldStateValue'),
    alarmArn,
    region: regionOfArn(alarmArn),
    reason: fields.optionalString('NewStateReason'),
  };
  fields.check('SNS alarm notification');
  return change;
}

function fromEventBridge(event: Record<string, unknown>): AlarmStateChange {
  const fields = new Fields('', event);
  const resources = Array.isArray(event.resources) ? event.resources : [];
  const alarmArn = typeof resources[0] === 'string' ? resources[0] : undefined;
  const change = {
    delivery: 'eventbridge' as const,
    alarmName: fields.string('detail.alarmName'),
    state: fields.state('detail.state.value'),
    previousState: fields.state('detail.previousState.value'),
    alarmArn,
    region: fields.optionalString('region') ?? regionOfArn(alarmArn),
    reason: fields.optionalString('detail.state.reason'),
  };
  fields.check('EventBridge alarm event');
  return change;
}

function fromAlarmAction(event: Record<string, unknown>): AlarmStateChange {
  const fields = new Fields('', event);
  const alarmArn = fields.optionalString('alarmArn');
  const change = {
    delivery: 'alarm-action' as const,
    alarmName: fields.string('alarmData.alarmName'),
    state: fields.state('alarmData.state.value'),
    previousState: fields.state('alarmData.previousState.value'),
    alarmArn,
    region: fields.optionalString('region') ?? regionOfArn(alarmArn),
    reason: fields.optionalString('alarmData.state.reason'),
  };
  fields.check('alarm action payload');
  return change;
}

/** `arn:aws:cloudwatch:<region>:<account>:alarm:<name>` -> region. */
function regionOfArn(arn: string | undefined): string | undefined {
  const region = arn?.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/** Reads dotted paths and collects every problem, so one error lists them all. */
class Fields {
  readonly #problems: string[] = [];

  constructor(
    readonly prefix: string,
    readonly root: unknown,
  ) {}

  string(path: string): string {
    const value = this.#at(path);
    if (typeof value === 'string' && value !== '') return value;
    this.#problems.push(
      `${this.#name(path)} is ${value === undefined ? 'missing' : 'not a non-empty string'}`,
    );
    return '';
  }

  optionalString(path: string): string | undefined {
    const value = this.#at(path);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  state(path: string): AlarmState {
    const value = this.#at(path);
    if (typeof value === 'string' && STATES.has(value)) return value as AlarmState;
    this.#problems.push(
      `${this.#name(path)} is ${value === undefined ? 'missing' : `${JSON.stringify(value)}, not OK, ALARM or INSUFFICIENT_DATA`}`,
    );
    return 'INSUFFICIENT_DATA';
  }

  check(what: string): void {
    if (this.#problems.length === 0) return;
    throw new InvalidRedriveTriggerError(`Invalid ${what}: ${this.#problems.join('; ')}.`, {
      problems: this.#problems,
    });
  }

  #name(path: string): string {
    return this.prefix === '' ? path : `${this.prefix}.${path}`;
  }

  #at(path: string): unknown {
    let current: unknown = this.root;
    for (const step of path.split('.')) {
      if (!isObject(current)) return undefined;
      current = current[step];
    }
    return current;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
