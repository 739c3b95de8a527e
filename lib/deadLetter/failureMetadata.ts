import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { type AttemptHistory, MAX_ENTRY_ERROR_CHARS } from '../attempts/attemptHistory.js';
import { parseAttemptHistory } from '../attempts/parseAttemptHistory.js';
import { messageBytes } from '../aws/messageSize.js';
import { MAX_MESSAGE_ATTRIBUTES, SQS_MAX_MESSAGE_BYTES } from '../aws/serviceLimits.js';
import { safeText } from '../text/safeText.js';
import type { DeadLetterReason } from '../types.js';

/**
 * Everything the runtime writes about a failure into SQS message attributes, in one module: the failure
 * metadata of a dead letter and the attempt history a redelivery copy carries. Every error text goes
 * through the one sanitiser (lib/text/safeText) here, so what SQS accepts is decided in one place.
 */

/**
 * What a dead-lettered message carries about its failure. Its attribute names are a stable contract read by
 * operators, the CLI and the redrive engine (docs/failure-routing.md#failure-metadata-stable-contract).
 */
export interface FailureMetadata {
  readonly errorClass: string;
  readonly errorMessage: string;
  readonly reason: DeadLetterReason;
  /** SQS receives of the message (of this copy of it) when it was dead-lettered; absent when the record did not say usably. */
  readonly receiveCount?: number;
  /**
   * The message's attempts: the deliveries in which its handler ran and failed, across every copy of it.
   * Equals `history.attempts` when the history is there.
   */
  readonly attempts: number;
  readonly sourceQueueArn: string;
  /** ISO 8601; absent when the record's ApproximateFirstReceiveTimestamp is missing or unusable. */
  readonly firstReceivedAt?: string;
  /** ISO 8601. */
  readonly deadLetteredAt: string;
  readonly functionName: string;
  /** Every attempt (up to the cap), and the receives that were not attempts and why. */
  readonly history?: AttemptHistory | undefined;
}

type ScalarField = Exclude<keyof FailureMetadata, 'history'>;

/** One attribute per field, used when the message has room for them. */
export const FAILURE_ATTRIBUTES = {
  errorClass: 'failsafe.errorClass',
  errorMessage: 'failsafe.errorMessage',
  reason: 'failsafe.reason',
  receiveCount: 'failsafe.receiveCount',
  attempts: 'failsafe.attempts',
  sourceQueueArn: 'failsafe.sourceQueueArn',
  firstReceivedAt: 'failsafe.firstReceivedAt',
  deadLetteredAt: 'failsafe.deadLetteredAt',
  functionName: 'failsafe.functionName',
} as const satisfies Record<ScalarField, string>;

/**
 * The attempt history as JSON: beside the separate attributes of a dead letter, and the one attribute a
 * redelivery copy carries in the source queue.
 */
export const HISTORY_ATTRIBUTE = 'failsafe.history';

/** All fields as one JSON string attribute, used when the message's own attributes leave too little room. */
export const FAILURE_JSON_ATTRIBUTE = 'failsafe.failure';

const METADATA_NAMES = new Set<string>([
  ...Object.values(FAILURE_ATTRIBUTES),
  HISTORY_ATTRIBUTE,
  FAILURE_JSON_ATTRIBUTE,
]);
const NUMBER_FIELDS = new Set<keyof FailureMetadata>(['receiveCount', 'attempts']);
const OPTIONAL_FIELDS = new Set<keyof FailureMetadata>(['receiveCount', 'firstReceivedAt']);
const SCALAR_COUNT = Object.keys(FAILURE_ATTRIBUTES).length;

/** Longest error message kept; longer ones are cut (and cut further if the message would exceed 1 MiB). */
export const MAX_ERROR_MESSAGE_CHARS = 2_048;
/** Longest error class (an error's `name`, which a handler may set to anything) and function name kept. */
export const MAX_NAME_CHARS = 256;

export type EncodedAttributes =
  | { readonly ok: true; readonly attributes: Record<string, MessageAttributeValue> }
  | { readonly ok: false; readonly problem: string };

/**
 * Ever smaller versions of the error texts and the history, tried in turn until the message fits in
 * SQS's 1 MiB: the body is the user's and is never touched.
 */
const SHRINK_STEPS: readonly {
  readonly errorChars: number;
  readonly entryChars: number;
  entries: boolean;
}[] = [
  { errorChars: MAX_ERROR_MESSAGE_CHARS, entryChars: MAX_ENTRY_ERROR_CHARS, entries: true },
  { errorChars: 512, entryChars: 64, entries: true },
  { errorChars: 128, entryChars: 0, entries: true },
  { errorChars: 0, entryChars: 0, entries: false },
];

/**
 * The attributes of the DLQ copy: the message's own attributes (earlier failure metadata and history
 * replaced) plus this failure's metadata, as separate attributes when they fit in SQS's limit of 10 and
 * as one JSON attribute when they do not. Fails with a reason when even that cannot fit: 10 attributes of
 * its own, or a body that leaves no room within 1 MiB.
 */
export function encodeFailureMetadata(
  body: string,
  original: Record<string, MessageAttributeValue>,
  metadata: FailureMetadata,
): EncodedAttributes {
  return fitAttributes(body, original, 'the failure metadata', (step, ownCount) => {
    // The separate form: every scalar field, and the history when there is one.
    const separate =
      ownCount + SCALAR_COUNT + (metadata.history === undefined ? 0 : 1) <= MAX_MESSAGE_ATTRIBUTES;
    const trimmed: FailureMetadata = {
      ...metadata,
      errorClass: safeText(metadata.errorClass, MAX_NAME_CHARS),
      functionName: safeText(metadata.functionName, MAX_NAME_CHARS),
      errorMessage: safeText(metadata.errorMessage, step.errorChars),
      history: metadata.history === undefined ? undefined : shrunkHistory(metadata.history, step),
    };
    return separate ? separateAttributes(trimmed) : jsonAttribute(trimmed);
  });
}

/**
 * The attributes of a redelivery copy: the message's own attributes (any failure metadata left out) and
 * its attempt history in HISTORY_ATTRIBUTE, shrunk if the message would exceed 1 MiB. Fails with a reason
 * when the message already carries 10 attributes of its own or its body leaves no room.
 */
export function encodeHistoryAttribute(
  body: string,
  original: Record<string, MessageAttributeValue>,
  history: AttemptHistory,
): EncodedAttributes {
  return fitAttributes(body, original, 'its attempt history', (step) => ({
    [HISTORY_ATTRIBUTE]: stringAttribute(JSON.stringify(shrunkHistory(history, step))),
  }));
}

/**
 * The message's own attributes (failure metadata and history left out) plus what `added` makes at the
 * first shrink step whose message fits SQS's 1 MiB; a reason naming `what` when none does or the message
 * has no attribute slot left.
 */
function fitAttributes(
  body: string,
  original: Record<string, MessageAttributeValue>,
  what: string,
  added: (step: (typeof SHRINK_STEPS)[number], ownCount: number) => Record<string, MessageAttributeValue>,
): EncodedAttributes {
  const own = withoutFailureMetadata(original);
  const ownCount = Object.keys(own).length;
  if (ownCount >= MAX_MESSAGE_ATTRIBUTES) {
    return {
      ok: false,
      problem: `it carries ${ownCount} message attributes, SQS's maximum, so ${what} cannot be attached`,
    };
  }
  // Texts from errors can hold anything: only characters SQS accepts, never a surrogate pair cut in two.
  for (const step of SHRINK_STEPS) {
    const attributes = { ...own, ...added(step, ownCount) };
    if (messageBytes(body, attributes) <= SQS_MAX_MESSAGE_BYTES) return { ok: true, attributes };
  }
  return {
    ok: false,
    problem: `its body (${Buffer.byteLength(body)} bytes) leaves no room for ${what} within SQS's 1 MiB limit`,
  };
}

/** Reads failure metadata back from either form; undefined when the message carries none. */
export function readFailureMetadata(
  attributes: Record<string, { DataType?: string; StringValue?: string } | undefined>,
): FailureMetadata | undefined {
  const json = attributes[FAILURE_JSON_ATTRIBUTE]?.StringValue;
  if (json !== undefined) {
    try {
      const parsed = JSON.parse(json) as FailureMetadata;
      return { ...parsed, history: historyOf(JSON.stringify(parsed.history ?? null)) };
    } catch {
      return undefined;
    }
  }
  if (attributes[FAILURE_ATTRIBUTES.errorClass] === undefined) return undefined;
  const entries = Object.entries(FAILURE_ATTRIBUTES).flatMap(([field, name]) => {
    const value = attributes[name]?.StringValue;
    // An optional field the dead letter was sent without stays absent.
    if (value === undefined && OPTIONAL_FIELDS.has(field as keyof FailureMetadata)) return [];
    const text = value ?? '';
    return [[field, NUMBER_FIELDS.has(field as keyof FailureMetadata) ? Number(text) : text]];
  });
  const history = historyOf(attributes[HISTORY_ATTRIBUTE]?.StringValue);
  return { ...(Object.fromEntries(entries) as Omit<FailureMetadata, 'history'>), history };
}

/** The attributes without any failure metadata (so a second failure replaces the first, not adds to it). */
export function withoutFailureMetadata<T>(attributes: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !METADATA_NAMES.has(name)));
}

function historyOf(text: string | undefined): AttemptHistory | undefined {
  if (text === undefined) return undefined;
  const parsed = parseAttemptHistory(text);
  return parsed.ok ? parsed.history : undefined;
}

function shrunkHistory(history: AttemptHistory, step: (typeof SHRINK_STEPS)[number]): AttemptHistory {
  if (!step.entries) return { ...history, entries: [], omittedEntries: history.attempts };
  if (step.entryChars === MAX_ENTRY_ERROR_CHARS) return history;
  return {
    ...history,
    entries: history.entries.map((entry) => ({
      ...entry,
      errorMessage: safeText(entry.errorMessage, step.entryChars),
    })),
  };
}

function separateAttributes(metadata: FailureMetadata): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [field, name] of Object.entries(FAILURE_ATTRIBUTES)) {
    const raw = metadata[field as ScalarField];
    if (raw === undefined) continue;
    const value = String(raw);
    attributes[name] = NUMBER_FIELDS.has(field as ScalarField)
      ? { DataType: 'Number', StringValue: value }
      : stringAttribute(value);
  }
  if (metadata.history !== undefined)
    attributes[HISTORY_ATTRIBUTE] = stringAttribute(JSON.stringify(metadata.history));
  return attributes;
}

function jsonAttribute(metadata: FailureMetadata): Record<string, MessageAttributeValue> {
  return { [FAILURE_JSON_ATTRIBUTE]: stringAttribute(JSON.stringify(metadata)) };
}

/** SQS rejects empty string values. */
const stringAttribute = (value: string): MessageAttributeValue => ({
  DataType: 'String',
  StringValue: value === '' ? '-' : value,
});
