import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Envelope } from '../config/batchConfig.js';
import { BodyDecodeError } from '../errors.js';
import type { SqsRecord } from '../event/sqsEvent.js';
import type { BodyFormat } from '../types.js';
import { unwrapSnsEnvelope } from './unwrapSnsEnvelope.js';
import { validateWithSchema } from './validateWithSchema.js';
import { jsonProblem } from './valueFreeProblems.js';

export type BodyDecoder = (record: SqsRecord) => unknown | Promise<unknown>;

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
  const readText =
    envelope === 'sns'
      ? (record: SqsRecord) => unwrapSnsEnvelope(record.body, record.messageId)
      : (record: SqsRecord) => record.body;
  const decode =
    format === 'json'
      ? (record: SqsRecord) => parseJson(readText(record), record.messageId, withValues)
      : readText;
  if (schema === undefined) return decode;
  return (record) => validateWithSchema(schema, decode(record), record.messageId, withValues);
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
