import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { failureFingerprint } from '../deadLetter/failureFingerprint.js';
import { readFailureMetadata } from '../deadLetter/failureMetadata.js';
import { InvalidOptionsError } from '../errors.js';
import { parseJsonPath, readJsonPath } from './jsonPath.js';

export type JsonScalar = string | number | boolean | null;

/**
 * Which dead-lettered messages to move. With several filters, a message must match all of them.
 * - `errorClass`: the error class in the message's failure metadata (FAILURE_ATTRIBUTES.errorClass).
 * - `fingerprint`: the id of the message's cause (failureFingerprint), as `stats --by-cause` lists them.
 * - `messageIds`: the DLQ message ids of a selection (one of them).
 * - `attribute` + `equals`: a message attribute's string value.
 * - `jsonPath` + `equals`: a value in the JSON body, by a path such as `$.order.lines[0].sku`.
 */
export type RedriveFilter =
  | OneFilter<{ readonly errorClass: string }>
  | OneFilter<{ readonly fingerprint: string }>
  | OneFilter<{ readonly messageIds: readonly string[] }>
  | OneFilter<{ readonly attribute: string; readonly equals: string }>
  | OneFilter<{ readonly jsonPath: string; readonly equals: JsonScalar }>;

/**
 * One kind of filter, the other kinds' keys ruled out, so that a filter of two kinds does not compile. The
 * kinds are the keys errorClass, fingerprint, messageIds, attribute and jsonPath; a filter has one of them.
 */
export type OneFilter<T> = T & {
  readonly [K in Exclude<
    'errorClass' | 'fingerprint' | 'messageIds' | 'attribute' | 'jsonPath',
    keyof T
  >]?: never;
};

/** A filter ready to test messages: the JSON path is parsed once, not per message. */
export type MessagePredicate = (message: {
  /** The message's id in the DLQ; a message without one matches no `messageIds` filter. */
  readonly messageId?: string;
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue>;
}) => boolean;

/**
 * Parses the text form of a filter, as the CLI and the redrive function's manual payload take it:
 * - `errorClass=TimeoutError`
 * - `fingerprint=01e4a793` (a cause, as `stats --by-cause` lists them)
 * - `messageId=<id>[,<id>...]` (a selection of DLQ message ids)
 * - `attribute:tenant=acme` (a message attribute's string value)
 * - `$.order.type=express` (a JSON path in the body; the value is read as JSON when it is a JSON scalar,
 *   so `$.qty=3` compares a number and `$.qty="3"` a string; otherwise it is taken as text)
 *
 * @example
 * parseRedriveFilter('attribute:tenant=acme'); // { attribute: 'tenant', equals: 'acme' }
 */
export function parseRedriveFilter(text: string): RedriveFilter {
  const fail = (problem: string): never => {
    throw new InvalidOptionsError('redrive filter', [
      `${JSON.stringify(text)}: ${problem}. Write errorClass=<Name>, fingerprint=<id>, messageId=<id>[,<id>...], attribute:<name>=<value> or $.<path>=<value>.`,
    ]);
  };
  if (text.startsWith('$')) {
    const path = parseJsonPath(text);
    if (!path.ok) return fail(path.problem);
    if (!path.rest.startsWith('=')) return fail('expected "=" and a value after the path');
    return {
      jsonPath: text.slice(0, text.length - path.rest.length),
      equals: jsonScalar(path.rest.slice(1)),
    };
  }
  if (text.startsWith('errorClass=')) {
    const errorClass = text.slice('errorClass='.length);
    if (errorClass === '') return fail('the error class is empty');
    return { errorClass };
  }
  if (text.startsWith('fingerprint=')) {
    const fingerprint = text.slice('fingerprint='.length);
    if (fingerprint === '') return fail('the fingerprint is empty');
    return { fingerprint };
  }
  if (text.startsWith('messageId=')) {
    const messageIds = text
      .slice('messageId='.length)
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    if (messageIds.length === 0) return fail('no message id given');
    return { messageIds };
  }
  if (text.startsWith('attribute:')) {
    const rest = text.slice('attribute:'.length);
    const equals = rest.indexOf('=');
    if (equals <= 0) return fail('expected attribute:<name>=<value>');
    return { attribute: rest.slice(0, equals), equals: rest.slice(equals + 1) };
  }
  return fail('unknown filter');
}

/** Problems with filters given as objects (each must be exactly one of the three forms). */
export function filterProblems(filters: readonly RedriveFilter[]): string[] {
  const problems: string[] = [];
  for (const [index, filter] of filters.entries()) {
    const at = `filter[${index}]`;
    if (typeof filter !== 'object' || filter === null) {
      problems.push(
        `${at}: must be an object ({ errorClass } | { fingerprint } | { messageIds } | { attribute, equals } | { jsonPath, equals })`,
      );
      continue;
    }
    const kinds = FILTER_KINDS.filter((key) => key in filter);
    if (kinds.length !== 1) {
      problems.push(
        `${at}: must have exactly one of errorClass, fingerprint, messageIds, attribute or jsonPath`,
      );
      continue;
    }
    if ('errorClass' in filter && typeof filter.errorClass !== 'string')
      problems.push(`${at}.errorClass: must be a string`);
    if ('fingerprint' in filter && (typeof filter.fingerprint !== 'string' || filter.fingerprint === ''))
      problems.push(`${at}.fingerprint: must be a fingerprint id (a non-empty string)`);
    if (
      'messageIds' in filter &&
      (!Array.isArray(filter.messageIds) ||
        filter.messageIds.length === 0 ||
        !filter.messageIds.every((id) => typeof id === 'string' && id !== ''))
    )
      problems.push(`${at}.messageIds: must be a non-empty list of message ids`);
    if ('attribute' in filter && (typeof filter.attribute !== 'string' || typeof filter.equals !== 'string'))
      problems.push(`${at}: attribute and equals must be strings`);
    if ('jsonPath' in filter) {
      if (typeof filter.jsonPath !== 'string') problems.push(`${at}.jsonPath: must be a string`);
      else {
        const path = parseJsonPath(filter.jsonPath);
        if (!path.ok) problems.push(`${at}.jsonPath: ${path.problem}`);
        else if (path.rest !== '') problems.push(`${at}.jsonPath: unexpected "${path.rest}" after the path`);
      }
      if (!('equals' in filter) || !isJsonScalar(filter.equals))
        problems.push(`${at}.equals: must be a string, number, boolean or null`);
    }
  }
  return problems;
}

const FILTER_KINDS = ['errorClass', 'fingerprint', 'messageIds', 'attribute', 'jsonPath'] as const;

/** One predicate for all the filters (they must all match); every message matches an empty list. */
export function compileFilters(filters: readonly RedriveFilter[]): MessagePredicate {
  const predicates = filters.map(compileFilter);
  return (message) => predicates.every((predicate) => predicate(message));
}

function compileFilter(filter: RedriveFilter): MessagePredicate {
  if ('errorClass' in filter && filter.errorClass !== undefined) {
    const wanted = filter.errorClass;
    return ({ attributes }) => readFailureMetadata(attributes)?.errorClass === wanted;
  }
  if ('fingerprint' in filter && filter.fingerprint !== undefined) {
    const wanted = filter.fingerprint;
    return ({ attributes }) => failureFingerprint(readFailureMetadata(attributes)).id === wanted;
  }
  if ('messageIds' in filter && filter.messageIds !== undefined) {
    const wanted = new Set(filter.messageIds);
    return ({ messageId }) => messageId !== undefined && wanted.has(messageId);
  }
  if ('attribute' in filter && filter.attribute !== undefined) {
    const { attribute, equals } = filter;
    return ({ attributes }) => attributes[attribute]?.StringValue === equals;
  }
  const path = parseJsonPath(filter.jsonPath as string);
  if (!path.ok) throw new InvalidOptionsError('redrive filter', [path.problem]);
  const { steps } = path;
  const wanted = filter.equals;
  return ({ body }) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      // A body that is not JSON has no value at any path: it does not match.
      return false;
    }
    return readJsonPath(parsed, steps) === wanted;
  };
}

function jsonScalar(text: string): JsonScalar {
  try {
    const value: unknown = JSON.parse(text);
    if (isJsonScalar(value)) return value;
  } catch {
    // Not JSON: the value is the text itself.
  }
  return text;
}

function isJsonScalar(value: unknown): value is JsonScalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}
