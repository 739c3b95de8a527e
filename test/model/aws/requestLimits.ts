import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { RequestProblems } from './awsModel.js';

/**
 * The request limits of SQS and SNS that the product must stay within, checked on every request the
 * model serves (written from the AWS rules, not from the product's own limit constants, so the product
 * is checked rather than repeated): at most 10 entries with distinct valid ids, 1 MiB per SQS batch and
 * message (256 KB for SNS), at most 10 message attributes with valid names, types and values, only the
 * characters SQS and SNS allow, DelaySeconds 0..900 (standard queues only), visibility 0..43,200 s.
 */

const MIB = 1_048_576;
const SNS_MAX_BYTES = 262_144;
const MAX_ENTRIES = 10;
const MAX_ATTRIBUTES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
/** #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF, and no lone surrogate. */
const DISALLOWED_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

interface Problem {
  readonly code: string;
  readonly message: string;
}

class ProblemList implements RequestProblems {
  readonly request: Problem[] = [];
  readonly entries = new Map<string, Problem>();
  refuse(code: string, message: string): void {
    this.request.push({ code, message });
  }
  entry(id: string, code: string, message: string): void {
    if (!this.entries.has(id)) this.entries.set(id, { code, message });
  }
}

const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

/** Entry count and ids, shared by every batch API. */
function batchShape(problems: ProblemList, ids: readonly (string | undefined)[], api: string): void {
  if (ids.length === 0) problems.refuse('EmptyBatchRequest', `${api} with no entries`);
  if (ids.length > MAX_ENTRIES)
    problems.refuse('TooManyEntriesInBatchRequest', `${api} with ${ids.length} entries (max ${MAX_ENTRIES})`);
  if (new Set(ids).size !== ids.length)
    problems.refuse('BatchEntryIdsNotDistinct', `${api} with repeated ids`);
  for (const id of ids)
    if (id === undefined || !ENTRY_ID.test(id))
      problems.refuse(
        'InvalidBatchEntryId',
        `${api} entry id ${JSON.stringify(id)} is not [A-Za-z0-9_-]{1,80}`,
      );
}

function attributeProblems(attributes: Record<string, MessageAttributeValue> | undefined): {
  bytes: number;
  problem?: string;
} {
  let size = 0;
  const names = Object.keys(attributes ?? {});
  if (names.length > MAX_ATTRIBUTES)
    return { bytes: 0, problem: `${names.length} message attributes (max 10)` };
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..'))
      return { bytes: 0, problem: `attribute name ${JSON.stringify(name)} is not allowed` };
    if (/^(aws|amazon)\./i.test(name)) return { bytes: 0, problem: `attribute name ${name} is reserved` };
    const type = value.DataType ?? '';
    if (!/^(String|Number|Binary)(\..+)?$/.test(type))
      return { bytes: 0, problem: `attribute ${name} has data type ${JSON.stringify(type)}` };
    if (value.StringValue === undefined && value.BinaryValue === undefined)
      return { bytes: 0, problem: `attribute ${name} has no value` };
    if (value.StringValue !== undefined) {
      if (value.StringValue === '') return { bytes: 0, problem: `attribute ${name} is empty` };
      if (DISALLOWED_CHARACTER.test(value.StringValue))
        return { bytes: 0, problem: `attribute ${name} holds a character SQS refuses` };
      if (type.startsWith('Number') && !Number.isFinite(Number(value.StringValue)))
        return {
          bytes: 0,
          problem: `attribute ${name} is a Number holding ${JSON.stringify(value.StringValue)}`,
        };
    }
    size += bytes(name) + bytes(type) + bytes(value.StringValue) + (value.BinaryValue?.byteLength ?? 0);
  }
  return { bytes: size };
}

export interface SendEntryLike {
  readonly Id?: string | undefined;
  readonly MessageBody?: string | undefined;
  readonly DelaySeconds?: number | undefined;
  readonly MessageAttributes?: Record<string, MessageAttributeValue> | undefined;
  readonly MessageGroupId?: string | undefined;
  readonly MessageDeduplicationId?: string | undefined;
}

export function sendMessageBatchProblems(entries: readonly SendEntryLike[], fifo: boolean): RequestProblems {
  const problems = new ProblemList();
  batchShape(
    problems,
    entries.map((entry) => entry.Id),
    'SendMessageBatch',
  );
  let total = 0;
  for (const entry of entries) {
    const id = entry.Id ?? '?';
    const body = entry.MessageBody ?? '';
    const attributes = attributeProblems(entry.MessageAttributes);
    const size = bytes(body) + attributes.bytes;
    total += size;
    if (body === '') problems.entry(id, 'InvalidParameterValue', 'empty message body');
    if (DISALLOWED_CHARACTER.test(body))
      problems.entry(id, 'InvalidMessageContents', 'a character SQS refuses in the body');
    if (attributes.problem !== undefined) problems.entry(id, 'InvalidParameterValue', attributes.problem);
    if (size > MIB) problems.entry(id, 'InvalidParameterValue', `message of ${size} bytes (max 1 MiB)`);
    if (entry.DelaySeconds !== undefined) {
      if (fifo) problems.entry(id, 'InvalidParameterValue', 'DelaySeconds per message on a FIFO queue');
      else if (!Number.isInteger(entry.DelaySeconds) || entry.DelaySeconds < 0 || entry.DelaySeconds > 900)
        problems.entry(id, 'InvalidParameterValue', `DelaySeconds ${entry.DelaySeconds} (0..900)`);
    }
    if (fifo && entry.MessageGroupId === undefined)
      problems.entry(id, 'MissingParameter', 'no MessageGroupId on a FIFO queue');
    if (fifo && entry.MessageDeduplicationId !== undefined && entry.MessageDeduplicationId.length > 128)
      problems.entry(id, 'InvalidParameterValue', 'MessageDeduplicationId over 128 characters');
  }
  if (total > MIB) problems.refuse('BatchRequestTooLong', `SendMessageBatch of ${total} bytes (max 1 MiB)`);
  return problems;
}

export function handleBatchProblems(
  api: string,
  entries: readonly { Id?: string | undefined; VisibilityTimeout?: number | undefined }[],
): RequestProblems {
  const problems = new ProblemList();
  batchShape(
    problems,
    entries.map((entry) => entry.Id),
    api,
  );
  for (const entry of entries) {
    const timeout = entry.VisibilityTimeout;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 0 || timeout > 43_200))
      problems.entry(entry.Id ?? '?', 'InvalidParameterValue', `VisibilityTimeout ${timeout} (0..43200)`);
  }
  return problems;
}

export function receiveProblems(input: {
  MaxNumberOfMessages?: number | undefined;
  WaitTimeSeconds?: number | undefined;
  VisibilityTimeout?: number | undefined;
}): RequestProblems {
  const problems = new ProblemList();
  const {
    MaxNumberOfMessages: max = 1,
    WaitTimeSeconds: wait = 0,
    VisibilityTimeout: visibility = 0,
  } = input;
  if (!Number.isInteger(max) || max < 1 || max > 10)
    problems.refuse('InvalidParameterValue', `MaxNumberOfMessages ${max} (1..10)`);
  if (!Number.isInteger(wait) || wait < 0 || wait > 20)
    problems.refuse('InvalidParameterValue', `WaitTimeSeconds ${wait} (0..20)`);
  if (!Number.isInteger(visibility) || visibility < 0 || visibility > 43_200)
    problems.refuse('InvalidParameterValue', `VisibilityTimeout ${visibility} (0..43200)`);
  return problems;
}

export interface PublishEntryLike {
  readonly Id?: string | undefined;
  readonly Message?: string | undefined;
  readonly MessageAttributes?: Record<string, { DataType?: string; StringValue?: string }> | undefined;
}

export function publishBatchProblems(entries: readonly PublishEntryLike[]): RequestProblems {
  const problems = new ProblemList();
  batchShape(
    problems,
    entries.map((entry) => entry.Id),
    'PublishBatch',
  );
  let total = 0;
  for (const entry of entries) {
    const id = entry.Id ?? '?';
    const message = entry.Message ?? '';
    const attributes = attributeProblems(entry.MessageAttributes as Record<string, MessageAttributeValue>);
    const size = bytes(message) + attributes.bytes;
    total += size;
    if (message === '') problems.entry(id, 'InvalidParameter', 'empty message');
    if (DISALLOWED_CHARACTER.test(message)) problems.entry(id, 'InvalidParameter', 'a character SNS refuses');
    if (attributes.problem !== undefined) problems.entry(id, 'InvalidParameterValue', attributes.problem);
    if (size > SNS_MAX_BYTES) problems.entry(id, 'InvalidParameter', `message of ${size} bytes (max 256 KB)`);
  }
  if (total > SNS_MAX_BYTES)
    problems.refuse('BatchRequestTooLong', `PublishBatch of ${total} bytes (max 256 KB)`);
  return problems;
}
