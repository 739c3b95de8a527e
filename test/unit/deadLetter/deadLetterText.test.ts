import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { readFailureMetadata } from '../../../lib/events/index.js';
import { createBatchProcessor, PermanentError, type SqsMessageAttribute } from '../../../lib/index.js';
import { DLQ_URL, useAwsMocks } from '../../helpers/awsMocks.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Issue 13: failure metadata SQS refuses. The error text was cut at 2,048 characters inside a surrogate
 * pair, and schema errors quoted decoded values with control characters; SQS refuses such attribute
 * values, so the permanent failure stayed in the source queue, bouncing. These checks are what SQS checks
 * (the embedded server checks bodies only), and a refusal naming an attribute is answered by sending the
 * dead letter again without it.
 */

const { sqs } = useAwsMocks();

/** What SQS allows in attribute values (docs/aws-semantics.md#allowed-characters). */
const SQS_ALLOWED = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

/** A DLQ that behaves like SQS: an entry with a refused character in an attribute value is refused. */
function strictDlq() {
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
    const refused = input.Entries.flatMap((entry) => {
      const bad = Object.entries(entry.MessageAttributes ?? {}).find(
        ([, value]) => value.StringValue !== undefined && !SQS_ALLOWED.test(value.StringValue),
      );
      return bad === undefined ? [] : [{ entry, name: bad[0] }];
    });
    return {
      Successful: input.Entries.filter((entry) => !refused.some((r) => r.entry === entry)).map((entry) => ({
        Id: entry.Id,
        MessageId: `dlq-${entry.Id}`,
      })),
      Failed: refused.map(({ entry, name }) => ({
        Id: entry.Id,
        Code: 'InvalidParameterValue',
        Message: `Message (user) attribute '${name}' value contains invalid characters.`,
        SenderFault: true,
      })),
    };
  });
}

const sentEntries = () =>
  sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);

function allValuesAllowed(entry: SendMessageBatchRequestEntry | undefined) {
  return Object.values(entry?.MessageAttributes ?? {}).every(
    (value) => value.StringValue === undefined || SQS_ALLOWED.test(value.StringValue),
  );
}

const options = { retry: false as const, configFromEnvironment: false, deadLetter: { queueUrl: DLQ_URL } };

/** Without attributes of its own, so the metadata goes out as separate attributes (the JSON form escapes). */
const plainRecord = (body = '{}') => sqsRecord({ body, messageAttributes: {} });

describe('failure metadata SQS accepts', () => {
  it('an error text cut at 2,048 characters with an emoji at the cut: dead-lettered at once, with valid metadata', async () => {
    // Prepare
    strictDlq();
    const text = `${'x'.repeat(2_046)}🎉 and more`;
    const run = createBatchProcessor(() => {
      throw new PermanentError(text);
    }, options);
    // Act
    const result = await run(eventOf([plainRecord()]), lambdaContext());
    // Assess
    expect(result.response.batchItemFailures).toEqual([]);
    expect(sentEntries()).toHaveLength(1);
    expect(allValuesAllowed(sentEntries()[0])).toBe(true);
    const metadata = readFailureMetadata(sentEntries()[0]?.MessageAttributes ?? {});
    expect(metadata?.errorMessage.length).toBeLessThanOrEqual(2_048);
    expect(metadata?.errorMessage.startsWith('x'.repeat(2_000))).toBe(true);
  });

  it('a schema error about a value with a control character (U+0001): dead-lettered at once, with valid metadata', async () => {
    strictDlq();
    const run = createBatchProcessor(() => undefined, {
      ...options,
      schema: v.object({ code: v.picklist(['A', 'B']) }),
    });
    const result = await run(eventOf([plainRecord(JSON.stringify({ code: 'A\u0001' }))]));
    expect(result.response.batchItemFailures).toEqual([]);
    expect(allValuesAllowed(sentEntries()[0])).toBe(true);
  });

  it('an error class (the error name) with control characters and no end: made valid and short', async () => {
    strictDlq();
    const run = createBatchProcessor(() => {
      const error = new PermanentError('nope');
      error.name = `Weird\u0000Name${'!'.repeat(1_000)}`;
      throw error;
    }, options);
    const result = await run(eventOf([plainRecord()]));
    expect(result.response.batchItemFailures).toEqual([]);
    const metadata = readFailureMetadata(sentEntries()[0]?.MessageAttributes ?? {});
    expect(metadata?.errorClass).toMatch(SQS_ALLOWED);
    expect(metadata?.errorClass.length).toBeLessThanOrEqual(256);
  });

  it('a dead letter SQS refuses for one of its own attributes is sent again without it, not left bouncing', async () => {
    // Prepare: the message arrived with an attribute value SQS now refuses (a relayed or hand-built event).
    strictDlq();
    const logger = recordingLogger();
    const tenant: SqsMessageAttribute = { dataType: 'String', stringValue: 'acme\u0002' };
    const keep: SqsMessageAttribute = { dataType: 'String', stringValue: 'kept' };
    const run = createBatchProcessor(
      () => {
        throw new PermanentError('order rejected');
      },
      { ...options, logger },
    );
    // Act
    const result = await run(eventOf([sqsRecord({ messageAttributes: { tenant, keep } })]));
    // Assess: the second send drops only the refused attribute; the record left the source.
    const entries = sentEntries();
    expect(entries).toHaveLength(2);
    expect(entries[1]?.MessageAttributes?.tenant).toBeUndefined();
    expect(entries[1]?.MessageAttributes?.keep).toEqual({ DataType: 'String', StringValue: 'kept' });
    expect(readFailureMetadata(entries[1]?.MessageAttributes ?? {})?.errorMessage).toBe('order rejected');
    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.outcomes[0]?.deadLetter).toBeDefined();
    expect(
      logger.lines.some(
        (line) => line.level === 'warn' && /without its attribute 'tenant'/.test(line.message),
      ),
    ).toBe(true);
  });

  it('a refusal that names no attribute is not retried: the record stays in the source, with the reason', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: 'e0', Code: 'KmsAccessDenied', Message: 'no key', SenderFault: true }],
    });
    const run = createBatchProcessor(() => {
      throw new PermanentError('order rejected');
    }, options);
    const result = await run(eventOf([sqsRecord()]));
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    expect(result.response.batchItemFailures).toHaveLength(1);
    expect(result.outcomes[0]?.deadLetterError?.message).toMatch(/KmsAccessDenied/);
  });
});
