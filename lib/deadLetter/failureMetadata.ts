import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { messageBytes } from '../aws/messageSize.js';
import { MAX_MESSAGE_ATTRIBUTES, SQS_MAX_MESSAGE_BYTES } from '../aws/serviceLimits.js';
import { safeText } from '../text/safeText.js';
import type { DeadLetterReason } from '../types.js';

/**
 * What a dead-lettered message carries about its failure. Its attribute names are a stable contract read by
 * operators, the CLI and the redrive engine (docs/failure-routing.md#failure-metadata-stable-contract).
 */
export interface FailureMetadata {
  readonly errorClass: string;
  readonly errorMessage: string;
  readonly reason: DeadLetterReason;
  /** SQS receives of the message when it was dead-lettered; absent when the record did not say usably. */
  readonly receiveCount?: number;
  /** Handler attempts in the invocation that dead-lettered it. */
  readonly attempts: number;
  readonly sourceQueueArn: string;
  /** ISO 8601; absent when the record's ApproximateFirstReceiveTimestamp is missing or unusable. */
  readonly firstReceivedAt?: string;
  /** ISO 8601. */
  readonly deadLetteredAt: string;
  readonly functionName: string;
}

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
} as const satisfies Record<keyof FailureMetadata, string>;

/** All fields as one JSON string attribute, used when the message's own attributes leave too little room. */
export const FAILURE_JSON_ATTRIBUTE = 'failsafe.failure';

const METADATA_NAMES = new Set<string>([...Object.values(FAILURE_ATTRIBUTES), FAILURE_JSON_ATTRIBUTE]);
const NUMBER_FIELDS = new Set<keyof FailureMetadata>(['receiveCount', 'attempts']);
const OPTIONAL_FIELDS = new Set<keyof FailureMetadata>(['receiveCount', 'firstReceivedAt']);
const SEPARATE_COUNT = Object.keys(FAILURE_ATTRIBUTES).length;

/** Longest error message kept; longer ones are cut (and cut further if the message would exceed 1 MiB). */
export const MAX_ERROR_MESSAGE_CHARS = 2_048;
/** Longest error class (an error's `name`, which a handler may set to anything) and function name kept. */
export const MAX_NAME_CHARS = 256;

export type EncodedMetadata =
  | { readonly ok: true; readonly attributes: Record<string, MessageAttributeValue> }
  | { readonly ok: false; readonly problem: string };

/**
 * The attributes of the DLQ copy: the message's own attributes (earlier failure metadata replaced) plus
 * this failure's metadata, as separate attributes when they fit in SQS's limit of 10 and as one JSON
 * attribute when they do not. Fails with a reason when even that cannot fit: 10 attributes of its own, or
 * a body that leaves no room within 1 MiB.
 */
export function encodeFailureMetadata(
  body: string,
  original: Record<string, MessageAttributeValue>,
  metadata: FailureMetadata,
): EncodedMetadata {
  const own = withoutFailureMetadata(original);
  const ownCount = Object.keys(own).length;
  if (ownCount >= MAX_MESSAGE_ATTRIBUTES) {
    return {
      ok: false,
      problem: `it carries ${ownCount} message attributes, SQS's maximum, so the failure metadata cannot be attached`,
    };
  }
  const separate = ownCount + SEPARATE_COUNT <= MAX_MESSAGE_ATTRIBUTES;
  // Texts from errors can hold anything: only characters SQS accepts, never a surrogate pair cut in two.
  const safe: FailureMetadata = {
    ...metadata,
    errorClass: safeText(metadata.errorClass, MAX_NAME_CHARS),
    functionName: safeText(metadata.functionName, MAX_NAME_CHARS),
  };
  for (let limit = MAX_ERROR_MESSAGE_CHARS; limit >= 0; limit = limit === 0 ? -1 : Math.floor(limit / 4)) {
    const trimmed = { ...safe, errorMessage: safeText(metadata.errorMessage, limit) };
    const attributes = { ...own, ...(separate ? separateAttributes(trimmed) : jsonAttribute(trimmed)) };
    if (messageBytes(body, attributes) <= SQS_MAX_MESSAGE_BYTES) return { ok: true, attributes };
  }
  return {
    ok: false,
    problem: `its body (${Buffer.byteLength(body)} bytes) leaves no room for the failure metadata within SQS's 1 MiB limit`,
  };
}

/** Reads failure metadata back from either form; undefined when the message carries none. */
export function readFailureMetadata(
  attributes: Record<string, { DataType?: string; StringValue?: string } | undefined>,
): FailureMetadata | undefined {
  const json = attributes[FAILURE_JSON_ATTRIBUTE]?.StringValue;
  if (json !== undefined) {
    try {
      return JSON.parse(json) as FailureMetadata;
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
  return Object.fromEntries(entries) as FailureMetadata;
}

/** The attributes without any failure metadata (so a second failure replaces the first, not adds to it). */
export function withoutFailureMetadata<T>(attributes: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !METADATA_NAMES.has(name)));
}

function separateAttributes(metadata: FailureMetadata): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [field, name] of Object.entries(FAILURE_ATTRIBUTES)) {
    const raw = metadata[field as keyof FailureMetadata];
    if (raw === undefined) continue;
    const value = String(raw);
    attributes[name] = {
      DataType: NUMBER_FIELDS.has(field as keyof FailureMetadata) ? 'Number' : 'String',
      // SQS rejects empty string values.
      StringValue: value === '' ? '-' : value,
    };
  }
  return attributes;
}

function jsonAttribute(metadata: FailureMetadata): Record<string, MessageAttributeValue> {
  return { [FAILURE_JSON_ATTRIBUTE]: { DataType: 'String', StringValue: JSON.stringify(metadata) } };
}
