import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptBatchCalls, acceptedEntries } from '../../../bench/support/acceptBatchCalls.js';
import { createBatchProcessor, type OutcomeStage, PermanentError } from '../../../lib/index.js';
import { METRIC } from '../../../lib/metrics/metricNames.js';
import { DLQ_URL, TOPIC_ARN, useAwsMocks } from '../../helpers/awsMocks.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { captureMetricLines } from '../../helpers/metricLines.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Issue 13: every AWS call after the handler (DLQ sends, visibility changes, publishes) runs under the
 * invocation's deadline. Tried on a 6 s function whose SNS publish answers after 1.2 s, and one where it
 * hangs: the invocation timed out, so AWS redelivered the whole batch. Slow and hung calls here come from
 * aws-sdk-client-mock (which ignores the abort signal, as a stuck connection would); the real slow
 * endpoint is in test/integration/slowAws.test.ts.
 */

const { sqs, sns } = useAwsMocks();
const START = 1_735_689_600_000;
const FUNCTION_TIMEOUT_MS = 6_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const answerAfter = (ms: number) => (input: Parameters<typeof acceptedEntries>[0]) =>
  new Promise((resolve) => setTimeout(() => resolve(acceptedEntries(input)), ms));
const neverAnswer = () => new Promise(() => {});

/** A record that succeeds, one that keeps the batch busy until the budget ends, one permanent failure. */
const batch = () =>
  eventOf([
    sqsRecord({ messageId: 'ok', body: '{"kind":"ok"}' }),
    sqsRecord({ messageId: 'slow', body: '{"kind":"slow"}' }),
    sqsRecord({ messageId: 'poison', body: '{"kind":"poison"}' }),
  ]);

/** With `maxAttempts`, attempts are counted and a failed record comes back as a redelivery copy (issue 12). */
function processor(logger = recordingLogger(), stages: OutcomeStage[] = [], maxAttempts?: number) {
  return createBatchProcessor(
    async (message: unknown) => {
      const { kind } = message as { kind: string };
      if (kind === 'slow') await sleep(60_000);
      if (kind === 'poison') throw new PermanentError('order rejected');
    },
    {
      retry: false,
      metrics: true,
      logger,
      configFromEnvironment: false,
      deadLetter: { queueUrl: DLQ_URL, ...(maxAttempts === undefined ? {} : { maxAttempts }) },
      redeliveryBackoff: { scheduleSeconds: [30] },
      notifications: { topicArn: TOPIC_ARN, events: ['message.failed', 'message.dead-lettered'] },
      stages,
    },
  );
}

/**
 * Makes SQS answer sends (or SNS answer publishes) in 2 s and lets `run` learn it in a first invocation
 * with time to spare (one dead letter and its event); returns `run` with the SQS call history cleared.
 */
async function learnedSlowSends(run: ReturnType<typeof processor>, slow: 'sqs' | 'sns' = 'sqs') {
  if (slow === 'sqs') sqs.on(SendMessageBatchCommand).callsFake(answerAfter(2_000));
  else sns.on(PublishBatchCommand).callsFake(answerAfter(2_000));
  const learned = run(
    eventOf([sqsRecord({ messageId: 'first', body: '{"kind":"poison"}' })]),
    lambdaContext(30_000),
  );
  await vi.advanceTimersByTimeAsync(2_000);
  expect((await learned).outcomes[0]?.deadLetter).toBeDefined();
  sqs.resetHistory();
  return run;
}

/** Runs one invocation on fake timers; returns its result and when (ms after start) it returned. */
async function invoke(run: ReturnType<typeof processor>) {
  let returnedAt: number | undefined;
  const startedAt = Date.now();
  const pending = run(batch(), lambdaContext(FUNCTION_TIMEOUT_MS)).then((result) => {
    returnedAt = Date.now() - startedAt;
    return result;
  });
  await vi.advanceTimersByTimeAsync(FUNCTION_TIMEOUT_MS + 60_000);
  return { result: await pending, returnedAt: returnedAt as number };
}

describe('AWS calls after the handler run under the invocation deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
    acceptBatchCalls(sqs, sns);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('a publish answering after 1.2 s, when the records used the budget, does not run a 6 s function into its timeout', async () => {
    // Prepare
    sns.on(PublishBatchCommand).callsFake(answerAfter(1_200));
    const logger = recordingLogger();
    const metricLines = captureMetricLines();
    // Act
    const { result, returnedAt } = await invoke(processor(logger));
    // Assess: back before the timeout; each record's fate is what it would be with a fast publish.
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: 'slow' }]);
    expect(result.outcomes[2]?.deadLetter).toBeDefined();
    expect(metricLines[0]?.[METRIC.notificationsFailed]).toBe(1);
    expect(logger.lines.some((line) => line.level === 'error' && /not published/.test(line.message))).toBe(
      true,
    );
  });

  it('a hung publish does not hold the response: the events are counted and logged as lost', async () => {
    sns.on(PublishBatchCommand).callsFake(neverAnswer);
    const logger = recordingLogger();
    const metricLines = captureMetricLines();
    const { result, returnedAt } = await invoke(processor(logger));
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: 'slow' }]);
    expect(metricLines[0]?.[METRIC.notificationsFailed]).toBe(1);
  });

  it('a hung DLQ send leaves the record reported failed (kept in the source), not deleted', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(neverAnswer);
    const { result, returnedAt } = await invoke(processor());
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(result.outcomes[2]?.deadLetter).toBeUndefined();
    expect(result.outcomes[2]?.deadLetterError?.message).toMatch(/TimeoutError/);
    expect(result.response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'poison',
      'slow',
    ]);
  });

  it('a DLQ send answering after 31 s leaves the record reported failed and returns in time', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(answerAfter(31_000));
    const { result, returnedAt } = await invoke(processor());
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(result.response.batchItemFailures).toContainEqual({ itemIdentifier: 'poison' });
  });

  it('a hung visibility change does not hold the response; the record still comes back', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake(neverAnswer);
    const { result, returnedAt } = await invoke(processor());
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(result.outcomes[1]?.retryScheduled).toBeUndefined();
    expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: 'slow' }]);
  });

  it('a stage of the user that never finishes is left behind at the deadline', async () => {
    const logger = recordingLogger();
    const stuck: OutcomeStage = { name: 'auditTrail', run: () => new Promise(() => {}) };
    const { result, returnedAt } = await invoke(processor(logger, [stuck]));
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: 'slow' }]);
    expect(logger.lines.some((line) => /Stage auditTrail did not finish/.test(line.message))).toBe(true);
  });

  it('does not start a dead letter the time left cannot cover, judged by how long this container’s calls took', async () => {
    // Prepare: the DLQ answers in 2 s. A first invocation with time to spare learns it; in the second the
    // records leave 0.8 s, so a send would most likely be cut after SQS stored the copy (a duplicate).
    const run = await learnedSlowSends(processor());
    // Act
    const { result, returnedAt } = await invoke(run);
    // Assess: no send started, the poison record stays in the source with the reason.
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(result.outcomes[2]?.deadLetterError?.message).toMatch(
      /not started: the \d+ ms left .* less than AWS calls took lately/,
    );
    expect(result.response.batchItemFailures).toContainEqual({ itemIdentifier: 'poison' });
  });

  it('does not start a redelivery copy the time left cannot cover: the record stays and comes back in place', async () => {
    // Prepare: as above, SQS answers sends in 2 s, learned by a first invocation. A copy is a new message:
    // cut at the deadline after SQS stored it, the original (reported failed) would come back as well.
    const logger = recordingLogger();
    const run = await learnedSlowSends(processor(logger, [], 3));
    // Act: the busy record fails its attempt at the budget, leaving 0.8 s.
    const { result, returnedAt } = await invoke(run);
    // The warning says the copy was not started, not that SQS refused it.
    expect(
      logger.lines
        .filter((line) => line.level === 'warn')
        .map((line) => line.message)
        .join('\n'),
    ).toMatch(/No redelivery copy: the send was not started or not answered in time/);
    // Assess: no copy (and no dead letter) started; the busy record stays, reported failed.
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(result.outcomes[1]?.retryScheduled?.copyMessageId).toBeUndefined();
    expect(result.response.batchItemFailures).toContainEqual({ itemIdentifier: 'slow' });
  });

  it('a slow SNS publish does not stop the next batch’s dead letters and copies: each service is judged by its own pace', async () => {
    // Prepare: SNS answers in 2 s and SQS at once. A first invocation with time to spare learns both (a
    // dead letter, then its event); in the second the records leave 0.8 s, plenty for SQS.
    const run = await learnedSlowSends(processor(recordingLogger(), [], 3), 'sns');
    // Act
    const { result, returnedAt } = await invoke(run);
    // Assess: the copy and the dead letter were sent; only the events may be cut.
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(result.outcomes[1]?.retryScheduled?.copyMessageId).toBeDefined();
    expect(result.outcomes[2]?.deadLetter).toBeDefined();
  });

  it('with fast calls everything still happens: records finish early, calls get the time they need', async () => {
    const { result, returnedAt } = await invoke(processor());
    expect(returnedAt).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(result.outcomes[1]?.retryScheduled).toBeDefined();
    expect(result.outcomes[2]?.deadLetter).toBeDefined();
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(1);
  });
});
