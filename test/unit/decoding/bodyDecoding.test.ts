import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BATCH_CONFIG_ENV_VAR } from '../../../lib/config/batchConfig.js';
import { BodyDecodeError, BodyValidationError, createBatchProcessor } from '../../../lib/index.js';
import { copyRecord, historyWith } from '../../helpers/attemptHistories.js';
import { DLQ_URL, useAwsMocks } from '../../helpers/awsMocks.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

const snsWrapped = (message: string) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    TopicArn: 'arn:aws:sns:eu-west-1:111122223333:events',
    Message: message,
    Timestamp: '2025-01-01T00:00:00.000Z',
  });

async function decodeWith(options: Parameters<typeof createBatchProcessor>[1], bodies: string[]) {
  const received: unknown[] = [];
  const processor = createBatchProcessor((message: unknown) => void received.push(message), {
    retry: false,
    ...options,
  });
  const result = await processor(eventOf(bodies.map((body) => sqsRecord({ body }))));
  return { received, result };
}

const { sqs } = useAwsMocks();

describe('body decoding', () => {
  it('parses JSON by default', async () => {
    const { received } = await decodeWith({}, ['{"a":1}']);
    expect(received).toEqual([{ a: 1 }]);
  });

  it('passes text through with body: "text"', async () => {
    const { received } = await decodeWith({ body: 'text' }, ['plain words']);
    expect(received).toEqual(['plain words']);
  });

  it('unwraps an SNS envelope, then parses its Message', async () => {
    const { received } = await decodeWith({ envelope: 'sns' }, [snsWrapped('{"taskId":"t-9"}')]);
    expect(received).toEqual([{ taskId: 't-9' }]);
  });

  it('fails only the undecodable record, permanently, naming it and the problem', async () => {
    const { result } = await decodeWith({}, ['{"ok":true}', '{oops']);
    const bad = result.outcomes[1];
    expect(result.outcomes[0]?.status).toBe('succeeded');
    expect(bad).toMatchObject({ status: 'failed', permanent: true, calls: 0, attempts: 0 });
    expect(bad?.error).toBeInstanceOf(BodyDecodeError);
    expect(bad?.error?.message).toContain(`Message ${bad?.record.messageId}: body is not valid JSON`);
  });

  it.each([
    ['not JSON at all', 'hello', /not an SNS envelope \(not JSON\)/],
    [
      'JSON but not a notification',
      '{"Type":"SubscriptionConfirmation"}',
      /not an SNS notification envelope/,
    ],
  ])('rejects an SNS envelope that is %s', async (_, body, message) => {
    const { result } = await decodeWith({ envelope: 'sns' }, [body]);
    expect(result.outcomes[0]?.error).toBeInstanceOf(BodyDecodeError);
    expect(result.outcomes[0]?.error?.message).toMatch(message);
  });

  it.each([
    ['zod', z.object({ orderId: z.string(), quantity: z.number().int().positive() })],
    ['valibot', v.object({ orderId: v.string(), quantity: v.pipe(v.number(), v.integer(), v.minValue(1)) })],
  ])('validates with %s (Standard Schema) and hands the output to the handler', async (_, schema) => {
    const { received, result } = await decodeWith({ schema }, [
      '{"orderId":"o-1","quantity":2}',
      '{"orderId":"o-2","quantity":0}',
    ]);
    expect(received).toEqual([{ orderId: 'o-1', quantity: 2 }]);
    const invalid = result.outcomes[1];
    expect(invalid).toMatchObject({ status: 'failed', permanent: true });
    expect(invalid?.error).toBeInstanceOf(BodyValidationError);
    expect(invalid?.error?.message).toMatch(/does not match the schema: quantity: /);
  });

  it('supports async validators', async () => {
    const schema = z
      .object({ id: z.string() })
      .refine(async (value) => value.id.startsWith('ok'), 'id must start with ok');
    const { received, result } = await decodeWith({ schema }, ['{"id":"ok-1"}', '{"id":"bad"}']);
    expect(received).toEqual([{ id: 'ok-1' }]);
    expect(result.outcomes[1]?.error?.message).toMatch(/id must start with ok/);
  });

  it('types the message from the schema output', async () => {
    const schema = z.object({ n: z.coerce.number() });
    const processor = createBatchProcessor((message) => message.n * 2, { schema });
    const result = await processor(eventOf([sqsRecord({ body: '{"n":"21"}' })]));
    expect(result.outcomes[0]?.result).toBe(42);
  });
});

describe('the envelope, from SQS_FAILSAFE_CONFIG (written by the construct from its subscriptions)', () => {
  /** Runs with SQS_FAILSAFE_CONFIG set, as a function the construct configured would. */
  async function withConfig<T>(config: object, run: () => Promise<T> | T): Promise<T> {
    const previous = process.env[BATCH_CONFIG_ENV_VAR];
    process.env[BATCH_CONFIG_ENV_VAR] = JSON.stringify({ version: 1, ...config });
    try {
      return await run();
    } finally {
      if (previous === undefined) delete process.env[BATCH_CONFIG_ENV_VAR];
      else process.env[BATCH_CONFIG_ENV_VAR] = previous;
    }
  }

  it('unwraps SNS envelopes when the configuration says so, with nothing in the code', async () => {
    const { received } = await withConfig({ envelope: 'sns' }, () =>
      decodeWith({}, [snsWrapped('{"taskId":"t-1"}')]),
    );
    expect(received).toEqual([{ taskId: 't-1' }]);
  });

  it('accepts code that says the same as the configuration', async () => {
    const { received } = await withConfig({ envelope: 'none' }, () =>
      decodeWith({ envelope: 'none' }, ['{"taskId":"t-2"}']),
    );
    expect(received).toEqual([{ taskId: 't-2' }]);
  });

  it.each([
    ['none', 'sns'],
    ['sns', 'none'],
  ] as const)(
    'refuses code saying %s when the configuration says %s, at cold start',
    async (inCode, configured) => {
      await withConfig({ envelope: configured }, () => {
        expect(() => createBatchProcessor(() => {}, { envelope: inCode })).toThrow(
          new RegExp(
            `envelope: the code says '${inCode}' but SQS_FAILSAFE_CONFIG says '${configured}'.*rawMessageDelivery`,
          ),
        );
      });
    },
  );

  it('refuses an envelope the runtime does not know, naming the key', async () => {
    await withConfig({ envelope: 'eventbridge' }, () => {
      expect(() => createBatchProcessor(() => {})).toThrow(/envelope: must be "none" or "sns"/);
    });
  });

  it("names the message, not its redelivery copy, when a copy's body cannot be decoded", async () => {
    // Found: the error named the copy's own message id, which no producer, log or DLQ search knows.
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map(({ Id }) => ({ Id, MessageId: `dead-${Id}` })),
      Failed: [],
    }));
    const copy = copyRecord(historyWith(1, {}, 'original-message-id'), { body: 'not json' });
    const processor = createBatchProcessor(() => 'ok', {
      retry: false,
      configFromEnvironment: false,
      deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 },
      redeliveryBackoff: { scheduleSeconds: [45] },
    });
    // Act
    const { outcomes } = await processor(eventOf([copy]));
    // Assess
    const error = outcomes[0]?.error;
    expect(error).toBeInstanceOf(BodyDecodeError);
    expect(error?.message).toContain('original-message-id');
    expect(error?.message).not.toContain(copy.messageId);
  });
});
