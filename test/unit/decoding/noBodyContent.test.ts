import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { acceptBatchCalls } from '../../../bench/support/acceptBatchCalls.js';
import { createBatchProcessor } from '../../../lib/index.js';
import { DLQ_URL, TOPIC_ARN, useAwsMocks } from '../../helpers/awsMocks.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Issue 13: body content leaked with `includeBody: false`. JSON.parse errors quoted the start of the body
 * and validators quoted the rejected value (`Invalid email: Received "SSN-123-45-6789"`); both reached the
 * SNS outcome events, the DLQ metadata and the logs. Now they say where and what kind the problem is.
 */

const { sqs, sns } = useAwsMocks();
const SECRET = 'SSN-123-45-6789';

/** Runs one record through a processor with DLQ, events and a recording logger; returns everything written. */
async function everythingWritten(body: string, schema?: StandardSchemaV1, includeBody = false) {
  acceptBatchCalls(sqs, sns);
  const logger = recordingLogger();
  const run = createBatchProcessor(() => undefined, {
    retry: false,
    configFromEnvironment: false,
    logger,
    deadLetter: { queueUrl: DLQ_URL },
    notifications: { topicArn: TOPIC_ARN, includeBody },
    ...(schema === undefined ? {} : { schema }),
  });
  const result = await run(eventOf([sqsRecord({ body, messageAttributes: {} })]));
  const error = result.outcomes[0]?.error;
  const dlqAttributes = sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => JSON.stringify(entry.MessageAttributes));
  const events = sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? [])
    .map((entry) => entry.Message ?? '');
  const logs = logger.lines.map((line) => JSON.stringify([line.message, line.extra]));
  return { error, written: [error?.message ?? '', ...dlqAttributes, ...events, ...logs] };
}

describe('no body content in errors, metadata, events or logs unless includeBody is on', () => {
  it('a body that is not JSON: the error says what kind of problem, not what the body holds', async () => {
    const { error, written } = await everythingWritten(SECRET);
    expect(error?.name).toBe('BodyDecodeError');
    expect(error?.message).toMatch(/body is not valid JSON \(unexpected character\)/);
    for (const text of written) expect(text).not.toContain('SSN');
  });

  it('a JSON error with a position keeps the position', async () => {
    const { error, written } = await everythingWritten(`{"ssn": "${SECRET}`);
    expect(error?.message).toMatch(/unterminated string at position \d+/);
    for (const text of written) expect(text).not.toContain(SECRET);
  });

  it('valibot: `Invalid email: Received "SSN-..."` becomes `email: Invalid email`', async () => {
    const schema = v.object({
      email: v.pipe(v.string(), v.email()),
      total: v.pipe(v.number(), v.minValue(1)),
    });
    const { error, written } = await everythingWritten(JSON.stringify({ email: SECRET, total: -5 }), schema);
    expect(error?.name).toBe('BodyValidationError');
    expect(error?.message).toContain('email: Invalid email');
    expect(error?.message).toContain('total: Invalid value: Expected >=1');
    expect(error?.message).not.toMatch(/received/i);
    for (const text of written) expect(text).not.toContain('SSN');
  });

  it('zod: path and kind (`total: Too small: expected number to be >0`), never the value or a key from the body', async () => {
    const schema = z.strictObject({ total: z.number().positive(), count: z.number() });
    const { error, written } = await everythingWritten(
      JSON.stringify({ total: -5, count: SECRET, [SECRET]: 1 }),
      schema,
    );
    expect(error?.message).toContain('total: Too small: expected number to be >0');
    expect(error?.message).toContain('count: Invalid input: expected number');
    for (const text of written) expect(text).not.toContain('SSN');
  });

  it('with includeBody on, the validator speaks in full (the user asked for bodies)', async () => {
    const schema = v.object({ email: v.pipe(v.string(), v.email()) });
    const { error } = await everythingWritten(JSON.stringify({ email: SECRET }), schema, true);
    expect(error?.message).toContain(`Received "${SECRET}"`);
  });
});
