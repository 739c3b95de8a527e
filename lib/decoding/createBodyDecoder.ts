import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Envelope } from '../config/batchConfig.js';
import { BodyDecodeError } from '../errors.js';
import type { SqsRecord } from '../event/sqsEvent.js';
import type { BodyFormat } from '../types.js';
import { unwrapSnsEnvelope } from './unwrapSnsEnvelope.js';
import { validateWithSchema } from './validateWithSchema.js';
import { jsonProblem } from './valueFreeProblems.js';

/**
 * Decodes a record's body; `messageId` is the message's identity (for a redelivery copy the original's,
 * from its history), which errors name: the copy's own id is known to no producer, log or DLQ search.
 */
export type BodyDecoder = (record: SqsRecord, messageId: string) => unknown | Promise<unknown>;

/**
 * Builds the decoder once per handler so the per-record path is a single call. Every failure is a
 * permanent error naming the message: a body that cannot be read today cannot be read tomorrow either.
 * Its text says where and what kind the problem is, never the body's content, unless `withValues` (the
 * user asked for bodies with `notifications.includeBody`).
 */
export function createBodyDecoder(
  format: BodyFormat,
  envelope: Envelope,
  schema?: StandardSchemaV1,
  withValues = false,
): BodyDecoder {
  const readText: (record: SqsRecord, messageId: string) => string =
    envelope === 'sns'
      ? (record, messageId) => unwrapSnsEnvelope(record.body, messageId)
      : (record) => record.body;
  const decode: BodyDecoder =
    format === 'json'
      ? (record, messageId) => parseJson(readText(record, messageId), messageId, withValues)
      : readText;
  if (schema === undefined) return decode;
  return (record, messageId) => validateWithSchema(schema, decode(record, messageId), messageId, withValues);
}

function parseJson(text: string, messageId: string, withValues: boolean): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = withValues && error instanceof Error ? error.message : jsonProblem(error);
    throw new BodyDecodeError(
      messageId,
      `body is not valid JSON (${reason}). Use body: "text" to receive it unparsed.`,
    );
  }
}
