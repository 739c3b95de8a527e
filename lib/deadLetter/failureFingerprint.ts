import { createHash } from 'node:crypto';

/** The failure fields a fingerprint is made of (a subset of FailureMetadata, so any metadata fits). */
export interface FingerprintInput {
  /** The error's class name (`failsafe.errorClass`). */
  readonly errorClass: string;
  /** Why it was dead-lettered (`failsafe.reason`). */
  readonly reason: string;
  /** The error's message as the runtime recorded it (`failsafe.errorMessage`). */
  readonly errorMessage: string;
}

/** A cause of failure: the same for every dead letter that failed the same way, whatever its data. */
export interface FailureFingerprint {
  /** Short and stable across runs, processes and machines: 8 hex characters. */
  readonly id: string;
  /** For a person: `ErrorClass: normalised message`. */
  readonly label: string;
  /** The error class (`Error` when the metadata names none, `-` without metadata). */
  readonly errorClass: string;
  /** The dead-letter reason (`permanent-error`, `max-attempts-reached`, ...). */
  readonly reason: string;
  /** The error message with its variable parts replaced by placeholders. */
  readonly message: string;
}

/** Normalised messages are cut here: a cause is told by its beginning, and ids must not depend on a tail. */
export const MAX_NORMALISED_CHARS = 160;

/** What dead letters without failure metadata share: SQS's own redrive policy moved them. */
export const NO_METADATA_REASON = 'moved-by-redrive-policy';

/**
 * Variable parts of an error message, in the order they are replaced: an earlier pattern wins, so a
 * number inside a URL or a UUID is not replaced on its own. Each placeholder says what was there.
 */
const REPLACEMENTS: readonly (readonly [RegExp, string])[] = [
  // Quoted values first: a quoted number, id or name is data, and quotes may hold spaces. A single quote
  // counts only away from letters, so the apostrophes of "can't" or "order's" quote nothing.
  [/"(?:[^"\\]|\\.)*"|(?<!\w)'(?:[^'\\]|\\.)*'(?!\w)|`[^`]*`/g, '<value>'],
  [/\barn:aws[\w-]*:[^\s,;)\]}]+/g, '<arn>'],
  [/\b[a-z][a-z\d+.-]*:\/\/[^\s,;)\]}]+/gi, '<url>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}\b/gi, '<id>'],
  [/\b0x[\da-f]+\b/gi, '<n>'],
  // Hex strings (hashes, request ids) of 8 or more characters with at least one digit.
  [/\b(?=[\da-f]*\d)[\da-f]{8,}\b/gi, '<id>'],
  // Tokens mixing letters and digits: joined by - or _ (order-8812, i-0abc12, ORD_77X), or 8 characters
  // and longer (ab3f9x2k, base64-like keys). Shorter ones (utf8, sha256, ES2015) are words, not ids.
  [/\b(?=[\w-]*\d)(?=[\w-]*[a-z])(?:[a-z\d]+(?:[_-][a-z\d]+)+|[a-z\d+/=]{8,})\b/gi, '<id>'],
  // Numbers, with a sign when one stands before them (-3, but not the dash of 1-5).
  [/(?:(?<=^|[\s(=:,[])[+-])?\b\d+(?:[.,]\d+)*(?:e[+-]?\d+)?\b/gi, '<n>'],
];

/**
 * Groups dead letters by cause. Two failures have the same fingerprint when they have the same error
 * class, the same dead-letter reason and the same error message once its variable parts are taken out:
 * numbers, UUIDs, hex and mixed letter-digit ids, quoted values, ARNs, URLs, e-mail addresses and
 * timestamps. So `order 8812 not found` and `order 9 not found` are one cause, `order not found` and
 * `customer not found` two. A message without failure metadata (moved by SQS's redrive policy) has the
 * cause `moved-by-redrive-policy`.
 *
 * Pure: the same input gives the same fingerprint in any process, so an id from `sqs-failsafe stats
 * --by-cause` or the console can be passed to `peek --cause` or a redrive filter later.
 *
 * @example
 * const cause = failureFingerprint({
 *   errorClass: 'ValidationError',
 *   reason: 'permanent-error',
 *   errorMessage: 'total: expected a number > 0, got "-3" (order 8812)',
 * });
 * cause.label; // 'ValidationError: total: expected a number > <n>, got <value> (order <n>)'
 */
export function failureFingerprint(failure: FingerprintInput | undefined): FailureFingerprint {
  const errorClass = failure?.errorClass.trim() || (failure === undefined ? '-' : 'Error');
  const reason = failure?.reason.trim() || NO_METADATA_REASON;
  const message = failure === undefined ? 'no failure metadata' : normaliseErrorMessage(failure.errorMessage);
  const id = createHash('sha256')
    .update(`${errorClass}\u0000${reason}\u0000${message}`)
    .digest('hex')
    .slice(0, 8);
  return {
    id,
    label: message === '' ? errorClass : `${errorClass}: ${message}`,
    errorClass,
    reason,
    message,
  };
}

/**
 * An error message with its variable parts replaced by placeholders (`<n>`, `<id>`, `<value>`, `<arn>`,
 * `<url>`, `<email>`, `<time>`), whitespace collapsed, cut to MAX_NORMALISED_CHARS.
 *
 * @example
 * normaliseErrorMessage('GET https://api.example.com/orders/12 timed out after 3000 ms');
 * // 'GET <url> timed out after <n> ms'
 */
export function normaliseErrorMessage(errorMessage: string): string {
  let text = errorMessage;
  for (const [pattern, placeholder] of REPLACEMENTS) text = text.replace(pattern, placeholder);
  text = text.replace(/\s+/g, ' ').trim();
  return text.length <= MAX_NORMALISED_CHARS ? text : `${text.slice(0, MAX_NORMALISED_CHARS - 1)}…`;
}
