import type { StandardSchemaV1 } from '@standard-schema/spec';
import { BodyDecodeError } from '../errors.js';
import type { SqsRecord } from '../event/sqsEvent.js';
import type { BodyFormat, Envelope } from '../types.js';
import { unwrapSnsEnvelope } from './unwrapSnsEnvelope.js';
import { validateWithSchema } from './validateWithSchema.js';

export type BodyDecoder = (record: SqsRecord) => unknown | Promise<unknown>;

/**
 * Builds the decoder once per handler so the per-record path is a single call. Every failure is a
 * permanent error naming the message: a body that cannot be read today cannot be read tomorrow either.
 */
export function createBodyDecoder(
  format: BodyFormat,
  envelope: Envelope,
  schema?: StandardSchemaV1,
): BodyDecoder {
  const readText =
    envelope === 'sns'
      ? (record: SqsRecord) => unwrapSnsEnvelope(record.body, record.messageId)
      : (record: SqsRecord) => record.body;
  const decode =
    format === 'json' ? (record: SqsRecord) => parseJson(readText(record), record.messageId) : readText;
  if (schema === undefined) return decode;
  return (record) => validateWithSchema(schema, decode(record), record.messageId);
}

function parseJson(text: string, messageId: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BodyDecodeError(
      messageId,
      `body is not valid JSON (${reason}). Use body: "text" to receive it unparsed.`,
    );
  }
}
