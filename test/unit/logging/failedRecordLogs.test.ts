import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createBatchHandler, createBatchProcessor, PermanentError } from '../../../lib/index.js';
import { copyRecord, historyWith } from '../../helpers/attemptHistories.js';
import { DLQ_URL, useAwsMocks } from '../../helpers/awsMocks.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, fifoRecord, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Issue 13: failures were silent. Tried as a new user would, with the README's quick-start handler and no
 * configuration: permanent errors and invalid bodies were reported failed, and nothing at all was logged
 * about any failed record.
 */

const { sqs } = useAwsMocks();

/** Everything the default logger (Powertools, JSON lines) writes, parsed: call the returned function to read. */
function captureLogLines(): () => Record<string, unknown>[] {
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
  }
  return () =>
    written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => !('_aws' in line));
}

describe('failed records are logged, one warn line each', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('the README quick start, no configuration: each failed record says why, and a cold-start warning says there is no DLQ', async () => {
    // Prepare: the quick start as written, with the default logger at its default level.
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', undefined);
    const logLines = captureLogLines();
    const Order = z.object({ orderId: z.string(), total: z.number().positive() });
    const handler = createBatchHandler(
      async (order) => {
        if (order.total > 10_000) throw new PermanentError('needs manual review');
      },
      { schema: Order, retry: { maxAttempts: 3 } },
    );
    const review = sqsRecord({
      messageId: 'review',
      body: JSON.stringify({ orderId: 'o-1', total: 20_000 }),
    });
    const invalid = sqsRecord({ messageId: 'invalid', body: JSON.stringify({ orderId: 'o-2', total: -5 }) });
    const fine = sqsRecord({ messageId: 'fine', body: JSON.stringify({ orderId: 'o-3', total: 5 }) });
    // Act
    const response = await handler(eventOf([review, invalid, fine]));
    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      'review',
      'invalid',
    ]);
    const warnings = logLines().filter((line) => line.level === 'WARN');
    expect(warnings[0]?.message).toMatch(/no DLQ is configured \(deadLetter\).*set deadLetter: \{ queueUrl/s);
    expect(warnings.find((line) => line.messageId === 'review')).toMatchObject({
      errorClass: 'PermanentError',
      errorMessage: 'needs manual review',
      attempt: 1,
      next: 'redelivered',
    });
    expect(warnings.find((line) => line.messageId === 'invalid')).toMatchObject({
      errorClass: 'BodyValidationError',
      next: 'redelivered',
    });
    expect(String(warnings.find((line) => line.messageId === 'invalid')?.message)).toMatch(
      /total: Too small: expected number to be >0.*no DLQ is configured/,
    );
    expect(warnings.find((line) => line.messageId === 'fine')).toBeUndefined();
  });

  it('says what happens next: dead-lettered, or retry in N s', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map(({ Id }) => ({ Id, MessageId: `dlq-${Id}` })),
      Failed: [],
    }));
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map(({ Id }) => ({ Id })),
      Failed: [],
    }));
    const logger = recordingLogger();
    const run = createBatchProcessor(
      (message: unknown) => {
        if ((message as { fail: string }).fail === 'permanent') throw new PermanentError('rejected');
        throw new Error('downstream timeout');
      },
      {
        retry: false,
        logger,
        configFromEnvironment: false,
        deadLetter: { queueUrl: DLQ_URL },
        redeliveryBackoff: { scheduleSeconds: [45] },
      },
    );
    await run(
      eventOf([
        sqsRecord({ messageId: 'p', body: '{"fail":"permanent"}' }),
        sqsRecord({ messageId: 't', body: '{"fail":"transient"}' }),
      ]),
    );
    const failed = logger.lines.filter((line) => line.level === 'warn');
    expect(failed.map((line) => line.message)).toEqual([
      `Message p failed (PermanentError: rejected); dead-lettered to ${DLQ_URL} (permanent-error)`,
      'Message t failed (Error: downstream timeout); retry in 45 s',
    ]);
    expect(failed[1]?.extra[0]).toMatchObject({
      messageId: 't',
      next: 'retry-scheduled',
      retryInSeconds: 45,
    });
  });

  it("names a redelivery copy by its original message id and counts the message's attempts, not its receives", async () => {
    // Issue 12: the line said the SQS receive count as the attempt, and the copy's own id.
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map(({ Id }) => ({ Id, MessageId: `copy-${Id}` })),
      Failed: [],
    }));
    const logger = recordingLogger();
    const run = createBatchProcessor(
      () => {
        throw new Error('downstream timeout');
      },
      {
        retry: false,
        logger,
        configFromEnvironment: false,
        deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 },
        redeliveryBackoff: { scheduleSeconds: [45] },
      },
    );
    // Two failed attempts and three receives that were not attempts before this one.
    const history = historyWith(2, { released: 3 }, 'original-id');
    await run(eventOf([copyRecord(history, { messageId: 'copy-2' })]));
    const [line] = logger.lines.filter((entry) => entry.level === 'warn');
    expect(line?.message).toBe('Message original-id failed (Error: downstream timeout); retry in 45 s');
    expect(line?.extra[0]).toMatchObject({
      messageId: 'original-id',
      deliveryMessageId: 'copy-2',
      attempt: 3,
      handlerCalls: 1,
    });
  });

  it('records never attempted get one info line for the batch, not a warning each', async () => {
    const logger = recordingLogger();
    const run = createBatchProcessor(
      () => {
        throw new Error('head fails');
      },
      { retry: false, logger, configFromEnvironment: false, deadLetter: { queueUrl: DLQ_URL } },
    );
    await run(eventOf([fifoRecord('g'), fifoRecord('g'), fifoRecord('g')]));
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    const info = logger.lines.filter((line) => line.level === 'info');
    expect(info).toHaveLength(1);
    expect(info[0]?.message).toMatch(/2 records were not attempted \(FifoSkippedError\)/);
  });

  it('writes nothing for a healthy batch, and no cold-start warning when a DLQ is configured', async () => {
    const logger = recordingLogger();
    const run = createBatchProcessor(() => undefined, {
      logger,
      configFromEnvironment: false,
      deadLetter: { queueUrl: DLQ_URL },
    });
    await run(eventOf([sqsRecord(), sqsRecord()]));
    expect(logger.lines.filter((line) => line.level !== 'debug')).toEqual([]);
  });
});
