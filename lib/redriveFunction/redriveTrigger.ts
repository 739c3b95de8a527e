import * as v from 'valibot';
import type { AlarmStateChange } from '../alarms/alarmStateChange.js';
import { isAlarmStateChangePayload, readAlarmStateChanges } from '../alarms/alarmStateChange.js';
import { integerIn, schemaProblems, unknownKey } from '../config/schemaProblems.js';
import { InvalidEventError, InvalidOptionsError } from '../errors.js';
import { InvalidRedriveTriggerError } from '../redrive/redriveErrors.js';
import type { RedriveFilter } from '../redrive/redriveFilter.js';
import { parseRedriveFilter } from '../redrive/redriveFilter.js';

/** A redrive asked for by hand: `{ dlq, source, max, dryRun, filter }`, every key optional. */
export interface ManualRedriveRequest {
  readonly dlq?: string | undefined;
  readonly source?: string | undefined;
  readonly max?: number | undefined;
  readonly dryRun?: boolean | undefined;
  readonly filters: readonly RedriveFilter[];
}

/** What the function passes to itself to go on with a run that ran out of time. */
export interface RedriveContinuationPayload {
  readonly runId: string;
  /** 1 for the first continuation. */
  readonly chain: number;
  /** Messages the run may still move. */
  readonly remaining: number;
  /** What started the run, for events and logs. */
  readonly startedBy: string;
}

export type RedriveTrigger =
  | { readonly kind: 'alarm'; readonly alarm: AlarmStateChange }
  | { readonly kind: 'schedule' }
  | { readonly kind: 'manual'; readonly request: ManualRedriveRequest }
  | { readonly kind: 'continuation'; readonly continuation: RedriveContinuationPayload };

/** The key the continuation payload sits under, so it can never be mistaken for a manual request. */
export const CONTINUATION_KEY = 'sqsFailsafeRedrive';

/** Built on first use, so that bundling lib/index costs a consumer function nothing at cold start. */
const manualSchema = () =>
  v.strictObject(
    {
      dlq: v.optional(
        v.pipe(v.string('must be a queue URL, ARN or name'), v.minLength(1, 'must not be empty')),
      ),
      source: v.optional(
        v.pipe(v.string('must be a queue URL, ARN or name'), v.minLength(1, 'must not be empty')),
      ),
      max: v.optional(integerIn(1, 1_000_000_000)),
      dryRun: v.optional(v.boolean('must be true or false')),
      filter: v.optional(
        v.union(
          [v.string(), v.array(v.string())],
          'must be a filter string or a list of them (errorClass=..., attribute:name=value, $.path=value)',
        ),
      ),
    },
    unknownKey,
  );

const continuationSchema = () =>
  v.object({
    runId: v.pipe(v.string(), v.minLength(1)),
    chain: integerIn(1, 1_000_000),
    remaining: integerIn(0, 1_000_000_000),
    startedBy: v.string(),
  });

const MANUAL_KEYS = ['dlq', 'source', 'max', 'dryRun', 'filter'];

/**
 * Tells what invoked the redrive function: a CloudWatch alarm (any of its three payload shapes), an
 * EventBridge schedule (`detail-type: "Scheduled Event"`; with EventBridge Scheduler, set that as the
 * input), a person (`{ dlq, source, max, dryRun, filter }`, at least one key), or the function itself
 * going on with a run. Anything else, or a known shape missing what it needs, throws an
 * InvalidRedriveTriggerError that names the problem; nothing has moved at that point.
 *
 * @example
 * const trigger = parseRedriveTrigger({ dryRun: true, filter: 'errorClass=TimeoutError' });
 */
export function parseRedriveTrigger(event: unknown): RedriveTrigger {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidRedriveTriggerError(
      `Unknown redrive trigger: expected an object, got ${describe(event)}.`,
    );
  }
  const payload = event as Record<string, unknown>;
  if (isAlarmStateChangePayload(payload)) return { kind: 'alarm', alarm: alarmChangeOf(payload) };
  if (payload['detail-type'] === 'Scheduled Event') return { kind: 'schedule' };
  if (CONTINUATION_KEY in payload) return { kind: 'continuation', continuation: continuationOf(payload) };
  if (payload.source === 'aws.cloudwatch') {
    throw new InvalidRedriveTriggerError(
      'A CloudWatch event that is not an alarm state change (detail-type "CloudWatch Alarm State Change", ' +
        `or an alarm action with alarmData): keys ${Object.keys(payload).join(', ')}.`,
    );
  }
  if (Array.isArray(payload.Records)) {
    throw new InvalidRedriveTriggerError(
      'An event with Records that is not a CloudWatch alarm notification through SNS (Records[0].Sns.Message ' +
        'with AlarmName, NewStateValue, OldStateValue).',
    );
  }
  if (Object.keys(payload).some((key) => MANUAL_KEYS.includes(key))) {
    return { kind: 'manual', request: manualRequestOf(payload) };
  }
  throw new InvalidRedriveTriggerError(
    `Unknown redrive trigger (${describe(event)}). Expected a CloudWatch alarm (SNS, EventBridge or alarm action), ` +
      'an EventBridge "Scheduled Event", or a manual request { dlq, source, max, dryRun, filter } with at least one key.',
  );
}

function manualRequestOf(payload: Record<string, unknown>): ManualRedriveRequest {
  const problems = schemaProblems(manualSchema(), payload);
  const filters: RedriveFilter[] = [];
  if (problems.length === 0 && payload.filter !== undefined) {
    for (const text of [payload.filter].flat() as string[]) {
      try {
        filters.push(parseRedriveFilter(text));
      } catch (error) {
        if (!(error instanceof InvalidOptionsError)) throw error;
        problems.push(...error.problems.map((problem) => `filter: ${problem}`));
      }
    }
  }
  if (problems.length > 0) {
    throw new InvalidRedriveTriggerError(`Invalid manual redrive request: ${problems.join('; ')}.`, {
      problems,
    });
  }
  const request = payload as { dlq?: string; source?: string; max?: number; dryRun?: boolean };
  return { dlq: request.dlq, source: request.source, max: request.max, dryRun: request.dryRun, filters };
}

function continuationOf(payload: Record<string, unknown>): RedriveContinuationPayload {
  const inner = (payload[CONTINUATION_KEY] as { continuation?: unknown } | undefined)?.continuation;
  const problems = schemaProblems(continuationSchema(), inner, `${CONTINUATION_KEY}.continuation`);
  if (problems.length > 0) {
    throw new InvalidRedriveTriggerError(`Invalid redrive continuation: ${problems.join('; ')}.`, {
      problems,
    });
  }
  return inner as RedriveContinuationPayload;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  const keys = Object.keys(value).slice(0, 6);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
}

/** SNS hands a Lambda one record per invocation, so an alarm trigger carries one state change. */
function alarmChangeOf(payload: unknown): AlarmStateChange {
  try {
    const [change] = readAlarmStateChanges(payload);
    if (change === undefined)
      throw new InvalidRedriveTriggerError('An SNS alarm notification without records.');
    return change;
  } catch (error) {
    if (error instanceof InvalidEventError) throw new InvalidRedriveTriggerError(error.message);
    throw error;
  }
}
