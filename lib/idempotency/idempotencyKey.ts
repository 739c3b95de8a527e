import { IdempotencyKeyError } from '../errors.js';
import type { SqsRecord } from '../event/sqsEvent.js';

/**
 * Reads a record's idempotency key: from a path in its decoded body, or the message's identity (the id of
 * its first send, which its redelivery copies carry).
 */
export type IdempotencyKeyReader = (message: unknown, record: SqsRecord, messageId: string) => string;

/**
 * `keyPath` is a dot path into the decoded body (`order.id`, `items.0.sku`; a number indexes a list).
 * Without it the key is the message id of the first send, which covers redeliveries of one message
 * (copies included) but not a second send of the same business message, nor a redrive, which gives the
 * message a new id (docs/aws-semantics.md#a-sent-message-is-new). A key from the body covers all three.
 *
 * @example
 * const keyOf = idempotencyKeyReader('order.id');
 * keyOf({ order: { id: 'o-17' } }, record, record.messageId); // 'o-17'
 */
export function idempotencyKeyReader(keyPath: string | undefined): IdempotencyKeyReader {
  if (keyPath === undefined) return (_message, _record, messageId) => messageId;
  const segments = keyPath.split('.');
  return function readKeyFromBody(message, _record, messageId) {
    let value: unknown = message;
    for (const segment of segments) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) {
        throw new IdempotencyKeyError(messageId, keyPath, 'has nothing');
      }
      value = (value as Record<string, unknown>)[segment];
    }
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw new IdempotencyKeyError(messageId, keyPath, describe(value));
  };
}

function describe(value: unknown): string {
  if (value === null || value === undefined || value === '') return `has ${JSON.stringify(value ?? null)}`;
  const kind = Array.isArray(value)
    ? 'a list'
    : typeof value === 'object'
      ? 'an object'
      : `a ${typeof value}`;
  return `has ${kind}, not a string or number,`;
}
