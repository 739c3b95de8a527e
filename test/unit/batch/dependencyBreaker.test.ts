import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BatchOptions,
  createBatchProcessor,
  DependencyError,
  DependencyUnavailableError,
  PermanentError,
} from '../../../lib/index.js';
import { DLQ_URL, useAwsMocks } from '../../helpers/awsMocks.js';
import { problemsOf } from '../../helpers/invalidOptions.js';
import { captureMetricLines } from '../../helpers/metricLines.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

const { sqs } = useAwsMocks();

type Step = 'ok' | 'down' | 'bug' | 'permanent';

/** A handler that follows a script of outcomes, one per call, and records which records it was called for. */
function scripted(steps: readonly Step[], dependency = 'payments-api') {
  const calledFor: string[] = [];
  const handler = (_message: unknown, { record }: { record: { messageId: string } }) => {
    const step = steps[calledFor.length] ?? 'down';
    calledFor.push(record.messageId);
    if (step === 'down') throw new DependencyError(dependency, new Error('503 Service Unavailable'));
    if (step === 'bug') throw new Error('not about a dependency');
    if (step === 'permanent') throw new PermanentError('rejected');
    return 'done';
  };
  return { handler, calledFor };
}

const records = (count: number, receiveCount = 1) =>
  Array.from({ length: count }, (_, index) =>
    sqsRecord({
      body: JSON.stringify({ index }),
      attributes: { ApproximateReceiveCount: String(receiveCount) },
    }),
  );

const base: BatchOptions = { concurrency: 1, retry: false, configFromEnvironment: false };

describe('dependency breaker inside one invocation', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('after N failures in a row against a dependency, does not start the rest of the batch', async () => {
    // Prepare
    const lines = captureMetricLines();
    const { handler, calledFor } = scripted([]);
    const batch = records(10);
    const processor = createBatchProcessor(handler, {
      ...base,
      metrics: true,
      dependencyBreaker: { consecutiveFailures: 3 },
    });
    // Act
    const result = await processor(eventOf(batch));
    // Assess
    expect(calledFor).toEqual(batch.slice(0, 3).map((record) => record.messageId));
    const failedFast = result.outcomes.slice(3);
    expect(failedFast).toHaveLength(7);
    for (const outcome of failedFast) {
      expect(outcome).toMatchObject({ status: 'failed', permanent: false, calls: 0, attempts: 0 });
      expect(outcome.error).toBeInstanceOf(DependencyUnavailableError);
      expect(outcome.error?.message).toBe(
        `Message ${outcome.record.messageId} was not attempted: dependency "payments-api" failed 3 times in a ` +
          'row in this batch, so it is not called again until the next batch; SQS redelivers the message.',
      );
    }
    expect(result.response.batchItemFailures).toHaveLength(10);
    expect(lines[0]).toMatchObject({ RecordsFailedFast: 7, TransientFailures: 10 });
  });

  it('stops retrying a record once its dependency is open, and reports that record its own error', async () => {
    const { handler, calledFor } = scripted([]);
    const processor = createBatchProcessor(handler, {
      ...base,
      retry: { scheduleMs: [0, 0, 0, 0] },
      dependencyBreaker: { consecutiveFailures: 2 },
    });
    const result = await processor(eventOf(records(3)));
    expect(calledFor).toHaveLength(2);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', calls: 2, attempts: 1, permanent: false });
    expect(result.outcomes[0]?.error).toBeInstanceOf(DependencyError);
    expect(result.outcomes.slice(1).map((outcome) => outcome.error?.name)).toEqual([
      'DependencyUnavailableError',
      'DependencyUnavailableError',
    ]);
  });

  it('wastes no retry when records run in parallel: only the first attempts already under way happen', async () => {
    let calls = 0;
    const processor = createBatchProcessor(
      async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new DependencyError('payments-api');
      },
      {
        concurrency: 10,
        // Retries wait long enough for every first attempt to have failed: the breaker is open by then.
        retry: { scheduleMs: [20, 20] },
        configFromEnvironment: false,
        dependencyBreaker: { consecutiveFailures: 3 },
      },
    );
    const result = await processor(eventOf(records(10)));
    expect(calls).toBe(10);
    expect(result.outcomes.every((outcome) => outcome.calls === 1 && outcome.status === 'failed')).toBe(true);
  });

  it('counts failures in a row: a success in between starts the count again', async () => {
    const { handler, calledFor } = scripted(['down', 'down', 'ok', 'down', 'down', 'ok', 'down', 'down']);
    const processor = createBatchProcessor(handler, {
      ...base,
      dependencyBreaker: { consecutiveFailures: 3 },
    });
    const result = await processor(eventOf(records(8)));
    expect(calledFor).toHaveLength(8);
    expect(result.outcomes.filter((outcome) => outcome.status === 'succeeded')).toHaveLength(2);
  });

  it('ignores permanent errors and errors that name no dependency', async () => {
    const { handler, calledFor } = scripted(['down', 'down', 'permanent', 'bug', 'bug', 'down', 'ok']);
    const processor = createBatchProcessor(handler, {
      ...base,
      dependencyBreaker: { consecutiveFailures: 3 },
    });
    await processor(eventOf(records(7)));
    // The third DependencyError (call 6) opens it; only record 7 is held back.
    expect(calledFor).toHaveLength(6);
  });

  it('names dependencies through dependencyOf for errors that are not DependencyErrors', async () => {
    let calls = 0;
    const processor = createBatchProcessor(
      () => {
        calls += 1;
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', host: 'inventory' });
      },
      {
        ...base,
        dependencyBreaker: {
          consecutiveFailures: 2,
          dependencyOf: (error) => (error as { host?: string }).host,
        },
      },
    );
    const result = await processor(eventOf(records(5)));
    expect(calls).toBe(2);
    expect(result.outcomes[4]?.error).toMatchObject({
      name: 'DependencyUnavailableError',
      dependency: 'inventory',
    });
  });

  it('with dependenciesOf, holds back only the records that call the open dependency', async () => {
    // Prepare: even records call payments (down), odd ones inventory (up).
    const calledFor: number[] = [];
    const processor = createBatchProcessor(
      (message: unknown) => {
        const { index } = message as { index: number };
        calledFor.push(index);
        if (index % 2 === 0) throw new DependencyError('payments-api');
        return 'reserved';
      },
      {
        ...base,
        dependencyBreaker: {
          consecutiveFailures: 2,
          dependenciesOf: (message) => [
            (message as { index: number }).index % 2 === 0 ? 'payments-api' : 'inventory',
          ],
        },
      },
    );
    // Act
    const result = await processor(eventOf(records(10)));
    // Assess: payments opens after records 0 and 2; records 4, 6, 8 are held back, every odd one runs.
    expect(calledFor).toEqual([0, 1, 2, 3, 5, 7, 9]);
    expect(result.outcomes.filter((outcome) => outcome.status === 'succeeded')).toHaveLength(5);
    expect(result.outcomes.map((outcome) => outcome.error?.name).filter(Boolean)).toEqual([
      'DependencyError',
      'DependencyError',
      'DependencyUnavailableError',
      'DependencyUnavailableError',
      'DependencyUnavailableError',
    ]);
  });

  it('attempts a record whose dependenciesOf throws, as if the breaker were off for it', async () => {
    const logger = recordingLogger();
    const { handler, calledFor } = scripted(['down', 'down', 'ok']);
    const processor = createBatchProcessor(handler, {
      ...base,
      logger,
      dependencyBreaker: {
        consecutiveFailures: 2,
        dependenciesOf: (message) => {
          if ((message as { index: number }).index === 2) throw new Error('broken declaration');
          return ['payments-api'];
        },
      },
    });
    const result = await processor(eventOf(records(4)));
    expect(calledFor).toHaveLength(3);
    expect(result.outcomes[2]?.status).toBe('succeeded');
    expect(result.outcomes[3]?.error?.name).toBe('DependencyUnavailableError');
    expect(logger.lines.map((line) => line.message)).toContain(
      'dependenciesOf threw; the record is attempted as if it called no dependency',
    );
  });

  it('gives records failed fast their redelivery delay and never dead-letters them as permanent', async () => {
    // Prepare
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => ({
      Successful: input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id })),
      Failed: [],
    }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const { handler } = scripted([]);
    const processor = createBatchProcessor(handler, {
      ...base,
      dependencyBreaker: { consecutiveFailures: 2 },
      redeliveryBackoff: { scheduleSeconds: [30, 120] },
      deadLetter: { queueUrl: DLQ_URL },
    });
    // Act
    const result = await processor(eventOf(records(6, 2)));
    // Assess: without a count kept, the receive count (2) picks the delay.
    expect(result.outcomes.map((outcome) => outcome.retryScheduled?.delaySeconds)).toEqual([
      120, 120, 120, 120, 120, 120,
    ]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(result.response.batchItemFailures).toHaveLength(6);
  });

  it('spends no attempt on a record it held back: only the records that ran are dead-lettered by count', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).callsFake((input) => ({
      Successful: input.Entries.map((entry: { Id: string }) => ({
        Id: entry.Id,
        MessageId: `m-${entry.Id}`,
      })),
      Failed: [],
    }));
    const { handler, calledFor } = scripted([]);
    const processor = createBatchProcessor(handler, {
      ...base,
      dependencyBreaker: { consecutiveFailures: 2 },
      redeliveryBackoff: { scheduleSeconds: [30, 120] },
      deadLetter: { queueUrl: DLQ_URL, maxAttempts: 1 },
    });
    // Act
    const result = await processor(eventOf(records(6, 4)));
    // Assess: the two that ran failed their one attempt; the four held back come back as copies.
    expect(calledFor).toHaveLength(2);
    expect(result.outcomes.map((outcome) => outcome.deadLetter?.reason)).toEqual([
      'max-attempts-reached',
      'max-attempts-reached',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const held = result.outcomes.slice(2);
    expect(held.map((outcome) => outcome.attempts)).toEqual([0, 0, 0, 0]);
    expect(held.map((outcome) => outcome.history?.notAttempted.held)).toEqual([1, 1, 1, 1]);
    expect(held.map((outcome) => outcome.retryScheduled?.copyMessageId)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^m-/)]),
    );
    expect(result.response.batchItemFailures).toEqual([]);
  });

  it('is off by default: DependencyErrors are retried and every record is attempted', async () => {
    const { handler, calledFor } = scripted([]);
    await createBatchProcessor(handler, base)(eventOf(records(6)));
    expect(calledFor).toHaveLength(6);
  });

  it('starts closed in every batch (the consumer-level breaker works across invocations)', async () => {
    const { handler, calledFor } = scripted([]);
    const processor = createBatchProcessor(handler, {
      ...base,
      dependencyBreaker: { consecutiveFailures: 2 },
    });
    await processor(eventOf(records(5)));
    await processor(eventOf(records(5)));
    expect(calledFor).toHaveLength(4);
  });

  it('reads its threshold from SQS_FAILSAFE_CONFIG', async () => {
    vi.stubEnv(
      'SQS_FAILSAFE_CONFIG',
      JSON.stringify({ version: 1, dependencyBreaker: { consecutiveFailures: 4 } }),
    );
    const { handler, calledFor } = scripted([]);
    await createBatchProcessor(handler, { concurrency: 1, retry: false })(eventOf(records(8)));
    expect(calledFor).toHaveLength(4);
  });

  it('rejects thresholds out of range and options of the wrong kind, listing every problem', () => {
    expect(
      problemsOf(() =>
        createBatchProcessor(() => 'ok', {
          configFromEnvironment: false,
          dependencyBreaker: { consecutiveFailures: 0, dependencyOf: 'host' as never, retries: 2 } as never,
        }),
      ),
    ).toEqual([
      'dependencyBreaker.consecutiveFailures: must be an integer from 1 to 100 (got 0)',
      'dependencyBreaker.dependencyOf: must be a function (error, record) => string | undefined (got "host")',
      'dependencyBreaker.retries: is not a known option (retries)',
    ]);
    vi.stubEnv('SQS_FAILSAFE_CONFIG', JSON.stringify({ dependencyBreaker: { consecutiveFailures: 101 } }));
    expect(problemsOf(() => createBatchProcessor(() => 'ok'))).toEqual([
      'dependencyBreaker.consecutiveFailures: must be an integer from 1 to 100 (got 101)',
    ]);
  });
});
