import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { UNREPORTED_RECEIVE_ALLOWANCE } from '../../lib/attempts/receiveCountSafetyNet.js';
import type { ConsumerBreakerConfig } from '../../lib/consumerBreaker/index.js';
import type { CloudWatchService } from './aws/cloudWatchService.js';
import type { MappingChange } from './aws/lambdaService.js';
import type { Delivery, Ledger, LogicalMessage } from './ledger.js';

/**
 * The properties every run must keep, as functions of the model's history (the ledger) and state. Each
 * returns the problems it finds, as sentences; the world turns them into violations with the time.
 * Named so a failure says which promise broke:
 *
 * - `conservation`: every message sent is done, dead-lettered, queued, in flight or expired, never gone.
 * - `deleted-with-reason`: nothing is deleted without a success or a confirmed copy elsewhere.
 * - `attempts-before-dead-letter`: nothing is dead-lettered before its attempts were spent (or max age).
 * - `fifo-order`: no message of a group is processed while an earlier one of its group is still pending.
 * - `dead-letter-metadata`: every dead letter the runtime sends carries valid failure metadata.
 * - `returns-before-timeout`: the consumer returns before its Lambda timeout.
 * - `request-within-limits`: every request is within SQS's and SNS's limits (checked by the AWS model).
 * - `breaker-transitions`: the consumer breaker moves only along its documented edges, at the right times.
 * - `nothing-stuck`: once faults stop and time passes, nothing is left in the source queue.
 */

/** Where each logical message is now; the buckets the conservation equation adds up. */
export interface Census {
  readonly sent: number;
  readonly done: number;
  readonly deadLettered: number;
  readonly queued: number;
  readonly inFlight: number;
  readonly expired: number;
  /** Messages found nowhere: lost. */
  readonly lost: readonly number[];
  /** Extra copies beyond one per message (duplicates, allowed by at-least-once delivery). */
  readonly duplicates: number;
}

export interface CopyLocation {
  readonly n: number;
  readonly where: 'queued' | 'in-flight' | 'dead-lettered';
}

export function census(ledger: Ledger, copies: readonly CopyLocation[]): Census {
  const byMessage = new Map<number, Set<CopyLocation['where']>>();
  for (const copy of copies) {
    const places = byMessage.get(copy.n) ?? new Set();
    places.add(copy.where);
    byMessage.set(copy.n, places);
  }
  const counts = { done: 0, deadLettered: 0, queued: 0, inFlight: 0, expired: 0 };
  const lost: number[] = [];
  for (const message of ledger.messages) {
    const places = byMessage.get(message.n);
    if (places?.has('in-flight')) counts.inFlight += 1;
    else if (places?.has('queued')) counts.queued += 1;
    else if (places?.has('dead-lettered')) counts.deadLettered += 1;
    else if (message.completedAt !== undefined) counts.done += 1;
    else if (message.expiredAt !== undefined) counts.expired += 1;
    else lost.push(message.n);
  }
  return {
    sent: ledger.messages.length,
    ...counts,
    lost,
    duplicates: copies.length - byMessage.size,
  };
}

export interface DeadLetterFacts {
  readonly message: LogicalMessage;
  /** The receive the runtime dead-lettered it from (runtime dead letters only). */
  readonly delivery: Delivery | undefined;
  readonly by: 'runtime' | 'queue-policy';
  readonly now: number;
  /** The runtime's A (deadLetter.maxAttempts), the attempts a message is given. */
  readonly attemptLimit: number;
  /** deadLetter.maxAgeSeconds (T_d). */
  readonly maxAgeSeconds: number | undefined;
  /** The dead letter's errorClass (runtime dead letters), which tells a record the breaker held back. */
  readonly errorClass: string | undefined;
}

/**
 * Whether a dead-lettering was earned (docs/failure-routing.md, "Attempts"): only the handler's own failed
 * runs count, one per delivery, across every copy of the message; receives that ended unreported (crash,
 * timeout, throttle), and receives that were no attempt but stayed in place because their redelivery copy
 * could not be made, count only towards the safety net, which is SQS's redrive policy.
 */
export function deadLetterProblem(facts: DeadLetterFacts): string | undefined {
  const { message, delivery, by, attemptLimit } = facts;
  // The max age counts from the first send, which a redelivery copy carries: for a message dead-lettered
  // as expired that is at most as long ago as the producer's send; otherwise the copy's own send.
  const sentAt =
    facts.errorClass === 'MessageExpiredError' ? message.sentAt : (delivery?.sentAt ?? message.sentAt);
  const aged = facts.maxAgeSeconds !== undefined && facts.now - sentAt > facts.maxAgeSeconds * 1_000;
  const runsHere = delivery === undefined ? [] : message.runsOf(delivery);
  const permanentHere = runsHere.some((run) => run.result === 'permanent');
  const spent = message.failedAttempts;
  const unreported = message.unreportedReceives;
  const withoutCopy = message.receivesWithoutCopy;
  const describe = () =>
    `message ${message.n} dead-lettered by ${by} with ${spent} failed attempt(s) of ${attemptLimit}, ` +
    `${unreported} unreported receive(s), ${withoutCopy} kept in place without a copy, ` +
    `receive count ${delivery?.receiveCount ?? '?'}, ${runsHere.length} run(s) in its last invocation`;

  // SQS moves a message first only after more receives than the construct allows for outside its formula's
  // R: receives nobody reported on, and receives that were no attempt but stayed in place because their
  // copy could not be made (docs/failure-routing.md, "The queue's maxReceiveCount" leaves both to U).
  const uncovered = unreported + withoutCopy;
  const crashLoop =
    uncovered > 0 && (spent + uncovered >= attemptLimit || uncovered > UNREPORTED_RECEIVE_ALLOWANCE);
  // A message the runtime could not dead-letter itself (the DLQ refused it) reaches the DLQ through the
  // queue's redrive policy, as documented, once it deserved it: too old, permanent, or out of attempts.
  const deserved = aged || spent >= attemptLimit || message.runs.some((run) => run.result === 'permanent');
  if (by === 'queue-policy') return crashLoop || deserved ? undefined : describe();
  if (permanentHere || aged || spent >= attemptLimit || crashLoop) return undefined;
  return describe();
}

const METADATA_FIELDS = [
  'errorClass',
  'errorMessage',
  'reason',
  'receiveCount',
  'attempts',
  'sourceQueueArn',
  'firstReceivedAt',
  'deadLetteredAt',
  'functionName',
] as const;

/** Reads the failure metadata as docs/failure-routing.md documents it: nine attributes or one JSON one. */
export function readMetadata(
  attributes: Record<string, MessageAttributeValue>,
): Record<string, unknown> | string {
  const json = attributes['failsafe.failure']?.StringValue;
  if (json !== undefined) {
    try {
      return JSON.parse(json) as Record<string, unknown>;
    } catch {
      return 'failsafe.failure is not JSON';
    }
  }
  const fields: Record<string, unknown> = {};
  for (const field of METADATA_FIELDS) {
    const value = attributes[`failsafe.${field}`];
    if (value?.StringValue === undefined) return `failsafe.${field} is missing`;
    fields[field] = value.DataType === 'Number' ? Number(value.StringValue) : value.StringValue;
  }
  return fields;
}

export interface MetadataFacts {
  readonly attributes: Record<string, MessageAttributeValue>;
  readonly message: LogicalMessage;
  readonly delivery: Delivery;
  readonly sourceQueueArn: string;
  readonly functionName: string;
  readonly invocationStartedAt: number;
  readonly now: number;
}

export function metadataProblems(facts: MetadataFacts): string[] {
  const metadata = readMetadata(facts.attributes);
  if (typeof metadata === 'string') return [`message ${facts.message.n}: ${metadata}`];
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(`message ${facts.message.n}: ${what} (${JSON.stringify(metadata)})`);
  };
  const isoTime = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : Number.NaN);
  const failed = facts.message.failedAttempts;
  expect(typeof metadata.errorClass === 'string' && metadata.errorClass !== '', 'errorClass is empty');
  expect(
    typeof metadata.errorMessage === 'string' && metadata.errorMessage.length <= 2_048,
    'errorMessage over 2,048 characters',
  );
  expect(
    ['permanent-error', 'max-age-exceeded', 'max-attempts-reached'].includes(String(metadata.reason)),
    'unknown reason',
  );
  expect(
    metadata.receiveCount === facts.delivery.receiveCount,
    `receiveCount is not ${facts.delivery.receiveCount}`,
  );
  // The runtime counts the attempts of one line of copies; a copy left behind by a crash starts another.
  expect(
    typeof metadata.attempts === 'number' && metadata.attempts <= failed,
    `attempts is more than the ${failed} failed attempt(s) the handler made`,
  );
  const history = metadata.history as
    | { attempts?: unknown; entries?: unknown[]; omittedEntries?: unknown }
    | undefined;
  const historyText = facts.attributes['failsafe.history']?.StringValue;
  const parsed = history ?? (historyText === undefined ? undefined : JSON.parse(historyText));
  expect(parsed !== undefined, 'no attempt history');
  expect(parsed?.attempts === metadata.attempts, 'the history counts other attempts than the metadata');
  expect(
    (parsed?.entries?.length ?? 0) + Number(parsed?.omittedEntries ?? 0) === metadata.attempts,
    'the history lists other attempts than it counts',
  );
  expect(metadata.sourceQueueArn === facts.sourceQueueArn, 'sourceQueueArn is not the source queue');
  expect(metadata.functionName === facts.functionName, 'functionName is not the consumer');
  const firstReceivedAt = isoTime(metadata.firstReceivedAt);
  const deadLetteredAt = isoTime(metadata.deadLetteredAt);
  expect(
    Number.isFinite(firstReceivedAt) && firstReceivedAt <= facts.now,
    'firstReceivedAt is not a past ISO time',
  );
  expect(
    Number.isFinite(deadLetteredAt) &&
      deadLetteredAt >= facts.invocationStartedAt &&
      deadLetteredAt <= facts.now,
    'deadLetteredAt is not within its invocation',
  );
  return problems;
}

export type BreakerPosition = 'closed' | 'open' | 'half-open' | 'stopped';

/** The breaker's position as docs/outage-protection.md defines it from the mapping alone. */
export function breakerPosition(
  state: { enabled: boolean; maximumConcurrency: number | undefined },
  halfOpenConcurrency: number,
): BreakerPosition {
  const atHalfOpen = state.maximumConcurrency === halfOpenConcurrency;
  if (!state.enabled) return atHalfOpen ? 'open' : 'stopped';
  return atHalfOpen ? 'half-open' : 'closed';
}

/**
 * The breaker's legal moves: closed -> open and half-open -> open only if the alarm was in ALARM since
 * the mapping last changed (an alarm event may arrive late, but never one older than the last change:
 * the controller drops those); open -> half-open only after the cool-down; half-open -> closed only if
 * the alarm was OK since the last change. A mapping someone else stopped is never touched.
 */
export function breakerTransitionProblem(
  change: MappingChange,
  alarm: CloudWatchService,
  config: Required<Pick<ConsumerBreakerConfig, 'halfOpenConcurrency' | 'coolDownSeconds' | 'probeSeconds'>>,
): string | undefined {
  const from = breakerPosition(change.before, config.halfOpenConcurrency);
  const to = breakerPosition(change.after, config.halfOpenConcurrency);
  const since = change.at - change.previousAt;
  const alarmWas = (state: 'ALARM' | 'OK') => alarm.wasIn(state, change.previousAt, change.at);
  const edge = `${from} -> ${to}`;
  switch (edge) {
    case 'closed -> open':
    case 'half-open -> open':
      return alarmWas('ALARM') ? undefined : `${edge} without the alarm in ALARM since the last change`;
    case 'open -> half-open':
      return since >= config.coolDownSeconds * 1_000
        ? undefined
        : `${edge} after ${since} ms, before the cool-down`;
    case 'half-open -> closed':
      return alarmWas('OK') ? undefined : `${edge} while the alarm stayed in ALARM`;
    default:
      return from === to && from !== 'stopped' ? undefined : `illegal move ${edge}`;
  }
}
