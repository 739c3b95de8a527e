import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type BatchOptions,
  createBatchProcessor,
  DependencyError,
  DuplicateInProgressError,
  type IdempotencyConfig,
  IdempotencyKeyError,
  type SqsRecord,
} from '../../../lib/index.js';
import { copyRecord, historyWith } from '../../helpers/attemptHistories.js';
import { DLQ_URL } from '../../helpers/awsMocks.js';
import { problemsOf } from '../../helpers/invalidOptions.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../helpers/localDynamoDb.js';
import { captureMetricLines } from '../../helpers/metricLines.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Record idempotency on Powertools Idempotency, against a real DynamoDB API (embedded dynalite, or the
 * endpoint in AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL).
 */
let dynamo: LocalDynamoDb;
let tableName: string;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  tableName = await dynamo.createIdempotencyTable('idempotency');
});

afterAll(async () => {
  await dynamo.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A business effect that can be counted, keyed by order id. */
function orderEffects() {
  const applied: string[] = [];
  const handler = async (message: unknown) => {
    const { orderId } = message as { orderId: string };
    applied.push(orderId);
    return { charged: orderId, at: 'now' };
  };
  return { applied, handler };
}

const order = (orderId: string, overrides: Partial<SqsRecord> = {}) =>
  sqsRecord({ body: JSON.stringify({ orderId, amount: 12 }), ...overrides });

function processorWith(
  handler: (message: unknown) => unknown,
  idempotency: Partial<IdempotencyConfig> = {},
  options: BatchOptions = {},
) {
  return createBatchProcessor(handler, {
    retry: false,
    configFromEnvironment: false,
    ...options,
    idempotency: { tableName, keyPrefix: `test-${crypto.randomUUID()}`, ...idempotency },
  });
}

describe('idempotent record processing', () => {
  it('keys a redelivery copy by the id of its first send: an original and its copy run the effect once', async () => {
    // Prepare: an invocation copied the message and died before SQS deleted the original, so both come.
    const { applied, handler } = orderEffects();
    const processor = processorWith(handler, {}, { deadLetter: { queueUrl: DLQ_URL, maxAttempts: 5 } });
    const original = order('o-copied');
    const copy = copyRecord(historyWith(1, {}, original.messageId), { body: original.body });
    // Act
    await processor(eventOf([original]), lambdaContext());
    const second = await processor(eventOf([copy]), lambdaContext());
    // Assess
    expect(applied).toEqual(['o-copied']);
    expect(second.outcomes[0]).toMatchObject({ status: 'succeeded', messageId: original.messageId });
  });

  it('runs the effect once when SQS delivers the same message twice; the duplicate gets the stored result', async () => {
    // Prepare
    const { applied, handler } = orderEffects();
    const processor = processorWith(handler);
    const record = order('o-1');
    // Act
    const first = await processor(eventOf([record]), lambdaContext());
    const second = await processor(
      eventOf([{ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }]),
      lambdaContext(),
    );
    // Assess
    expect(applied).toEqual(['o-1']);
    expect(first.outcomes[0]).toMatchObject({ status: 'succeeded', result: { charged: 'o-1', at: 'now' } });
    expect(second.outcomes[0]).toMatchObject({ status: 'succeeded', result: { charged: 'o-1', at: 'now' } });
    expect(second.response.batchItemFailures).toEqual([]);
  });

  it('with a key path, also recognises a redrive (a new message id carrying the same body)', async () => {
    const { applied, handler } = orderEffects();
    const processor = processorWith(handler, { keyPath: 'orderId' });
    await processor(eventOf([order('o-2')]), lambdaContext());
    const redriven = order('o-2');
    const result = await processor(eventOf([redriven]), lambdaContext());
    expect(applied).toEqual(['o-2']);
    expect(result.outcomes[0]?.status).toBe('succeeded');
  });

  it('keyed by message id (the default), treats a redrive as a new message: it runs again', async () => {
    const { applied, handler } = orderEffects();
    const processor = processorWith(handler);
    await processor(eventOf([order('o-3')]), lambdaContext());
    await processor(eventOf([order('o-3')]), lambdaContext());
    expect(applied).toEqual(['o-3', 'o-3']);
  });

  it('reports an in-progress duplicate failed and retryable, without running it, then completes it later', async () => {
    // Prepare: the first delivery is still running when the second arrives.
    const lines = captureMetricLines();
    const { promise: release, resolve } = Promise.withResolvers<void>();
    const { promise: started, resolve: markStarted } = Promise.withResolvers<void>();
    const applied: string[] = [];
    const processor = processorWith(
      async (message: unknown) => {
        const { orderId } = message as { orderId: string };
        applied.push(orderId);
        markStarted();
        await release;
        return 'charged';
      },
      { keyPath: 'orderId' },
      { retry: { scheduleMs: [0, 0] }, metrics: true },
    );
    // Act
    const firstDelivery = processor(eventOf([order('o-4')]), lambdaContext());
    await started;
    const duplicate = await processor(eventOf([order('o-4')]), lambdaContext());
    resolve();
    await firstDelivery;
    const redelivered = await processor(eventOf([order('o-4')]), lambdaContext());
    // Assess
    expect(applied).toEqual(['o-4']);
    expect(duplicate.outcomes[0]).toMatchObject({
      status: 'failed',
      permanent: false,
      calls: 0,
      attempts: 0,
    });
    expect(duplicate.outcomes[0]?.error).toBeInstanceOf(DuplicateInProgressError);
    expect(duplicate.outcomes[0]?.error?.message).toMatch(/another invocation is processing/);
    expect(duplicate.response.batchItemFailures).toHaveLength(1);
    expect(redelivered.outcomes[0]).toMatchObject({ status: 'succeeded', result: 'charged' });
    // The waiting duplicate is no outage signal; the later duplicate is counted as skipped.
    expect(lines[0]).toMatchObject({ DuplicatesInProgress: 1, TransientFailures: 0 });
    expect(lines.at(-1)).toMatchObject({ DuplicatesSkipped: 1 });
  });

  it('releases the key when the handler fails, so a retry or a redelivery runs it again', async () => {
    let calls = 0;
    const processor = processorWith(() => {
      calls += 1;
      if (calls === 1) throw new Error('downstream unavailable');
      return 'ok';
    });
    const record = order('o-5');
    const first = await processor(eventOf([record]), lambdaContext());
    const second = await processor(eventOf([record]), lambdaContext());
    expect(first.outcomes[0]?.error?.message).toBe('downstream unavailable');
    expect(second.outcomes[0]?.status).toBe('succeeded');
    expect(calls).toBe(2);
  });

  it('keeps the class of the handler error (a PermanentError stays permanent)', async () => {
    const { PermanentError } = await import('../../../lib/index.js');
    const processor = processorWith(() => {
      throw new PermanentError('card declined');
    });
    const result = await processor(eventOf([order('o-6')]), lambdaContext());
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', permanent: true });
  });

  it('fails a record whose body lacks the key path permanently, naming the message and the path, alone', async () => {
    // Prepare
    const { applied, handler } = orderEffects();
    const processor = processorWith(handler, { keyPath: 'order.id' });
    const missing = sqsRecord({ body: JSON.stringify({ orderId: 'o-7' }) });
    const notScalar = sqsRecord({ body: JSON.stringify({ order: { id: { nested: true } } }) });
    const empty = sqsRecord({ body: JSON.stringify({ order: { id: '' } }) });
    const fine = sqsRecord({ body: JSON.stringify({ orderId: 'o-8', order: { id: 'o-8' } }) });
    // Act
    const result = await processor(eventOf([missing, notScalar, empty, fine]), lambdaContext());
    // Assess
    expect(applied).toEqual(['o-8']);
    const [first, second, third] = result.outcomes;
    expect(first?.error).toBeInstanceOf(IdempotencyKeyError);
    expect(first).toMatchObject({ status: 'failed', permanent: true, calls: 0, attempts: 0 });
    expect(first?.error?.message).toBe(
      `Message ${missing.messageId} has no idempotency key: the body has nothing at "order.id".`,
    );
    expect(second?.error?.message).toBe(
      `Message ${notScalar.messageId} has no idempotency key: the body has an object, not a string or number, at "order.id".`,
    );
    expect(third?.error?.message).toBe(
      `Message ${empty.messageId} has no idempotency key: the body has "" at "order.id".`,
    );
    expect(result.response.batchItemFailures).toHaveLength(3);
  });

  it('reads number keys and list indexes in the key path', async () => {
    const { handler } = orderEffects();
    const calls: unknown[] = [];
    const processor = processorWith(
      (message) => {
        calls.push(message);
        return handler({ orderId: 'x' });
      },
      { keyPath: 'lines.0.sku' },
    );
    const record = () => sqsRecord({ body: JSON.stringify({ lines: [{ sku: 4711 }] }) });
    await processor(eventOf([record()]), lambdaContext());
    await processor(eventOf([record()]), lambdaContext());
    expect(calls).toHaveLength(1);
  });

  it('lets a duplicate run again once the key has expired', async () => {
    const { applied, handler } = orderEffects();
    const processor = processorWith(handler, { keyPath: 'orderId', expiresAfterSeconds: 1 });
    await processor(eventOf([order('o-9')]), lambdaContext());
    await processor(eventOf([order('o-9')]), lambdaContext());
    expect(applied).toEqual(['o-9']);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await processor(eventOf([order('o-9')]), lambdaContext());
    expect(applied).toEqual(['o-9', 'o-9']);
  });

  it('frees the key of an attempt that never finished once the in-progress expiry has passed', async () => {
    // Prepare: the first attempt hangs past the time budget (as if the invocation had timed out).
    const applied: string[] = [];
    const hang = Promise.withResolvers<void>();
    const processor = processorWith(
      async (message: unknown) => {
        applied.push((message as { orderId: string }).orderId);
        if (applied.length === 1) await hang.promise;
        return 'ok';
      },
      { keyPath: 'orderId', inProgressExpirySeconds: 1 },
      { safetyMarginMs: 100 },
    );
    // Act
    const timedOut = await processor(eventOf([order('o-10')]), lambdaContext(600));
    const tooSoon = await processor(eventOf([order('o-10')]), lambdaContext());
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const afterExpiry = await processor(eventOf([order('o-10')]), lambdaContext());
    hang.resolve();
    // Assess
    expect(timedOut.outcomes[0]?.error?.name).toBe('TimeBudgetExceededError');
    expect(tooSoon.outcomes[0]?.error).toBeInstanceOf(DuplicateInProgressError);
    expect(afterExpiry.outcomes[0]?.status).toBe('succeeded');
    expect(applied).toEqual(['o-10', 'o-10']);
  });

  it('stores results as JSON and still reports success when a result cannot be stored', async () => {
    const processor = processorWith(() => ({ total: 10n }), { keyPath: 'orderId' });
    const first = await processor(eventOf([order('o-11')]), lambdaContext());
    const duplicate = await processor(eventOf([order('o-11')]), lambdaContext());
    expect(first.outcomes[0]).toMatchObject({ status: 'succeeded', result: { total: 10n } });
    expect(duplicate.outcomes[0]).toMatchObject({ status: 'succeeded', result: undefined });
  });

  it('reports an unreachable idempotency table as a transient failure of the dependency "idempotency-store"', async () => {
    // Prepare: a client pointing at a port nothing listens on.
    const unreachable = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { applied, handler } = orderEffects();
    const processor = createBatchProcessor(handler, {
      retry: false,
      concurrency: 1,
      configFromEnvironment: false,
      aws: { dynamodb: unreachable },
      idempotency: { tableName },
      dependencyBreaker: { consecutiveFailures: 2 },
    });
    // Act
    const result = await processor(eventOf([order('a'), order('b'), order('c')]), lambdaContext());
    // Assess: nothing ran; the breaker counted the store's failures and held the third record back.
    expect(applied).toEqual([]);
    expect(result.outcomes[0]?.error).toBeInstanceOf(DependencyError);
    expect(result.outcomes[0]?.error).toMatchObject({ dependency: 'idempotency-store' });
    expect(result.outcomes[0]?.permanent).toBe(false);
    expect(result.outcomes[2]?.error?.name).toBe('DependencyUnavailableError');
    unreachable.destroy();
  });

  it('does not let a completed duplicate reset the dependency breaker (it called no dependency)', async () => {
    // Prepare: o-dup is already done; every other order finds the payments API down.
    const called: string[] = [];
    const processor = processorWith(
      (message) => {
        const { orderId } = message as { orderId: string };
        called.push(orderId);
        if (orderId !== 'o-dup') throw new DependencyError('payments-api');
        return 'charged';
      },
      { keyPath: 'orderId' },
      { concurrency: 1, dependencyBreaker: { consecutiveFailures: 2 } },
    );
    await processor(eventOf([order('o-dup')]), lambdaContext());
    // Act
    const result = await processor(
      eventOf([order('o-a'), order('o-dup'), order('o-b'), order('o-c')]),
      lambdaContext(),
    );
    // Assess: o-a and o-b fail in a row around the duplicate, so o-c is held back.
    expect(called).toEqual(['o-dup', 'o-a', 'o-b']);
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual([
      'failed',
      'succeeded',
      'failed',
      'failed',
    ]);
    expect(result.outcomes[3]?.error?.name).toBe('DependencyUnavailableError');
  });

  it('is configured from SQS_FAILSAFE_CONFIG like every other option', async () => {
    vi.stubEnv(
      'SQS_FAILSAFE_CONFIG',
      JSON.stringify({ version: 1, idempotency: { tableName, keyPath: 'orderId', keyPrefix: 'from-env' } }),
    );
    try {
      const { applied, handler } = orderEffects();
      const processor = createBatchProcessor(handler, { retry: false });
      await processor(eventOf([order('o-12')]), lambdaContext());
      await processor(eventOf([order('o-12')]), lambdaContext());
      expect(applied).toEqual(['o-12']);
      expect(
        (await dynamo.items(tableName)).filter((item) => String(item.id).startsWith('from-env#')),
      ).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('idempotency options', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('rejects every bad field at creation, listing them all', () => {
    expect(
      problemsOf(() =>
        createBatchProcessor(() => 'ok', {
          configFromEnvironment: false,
          idempotency: {
            tableName: 'x',
            keyPath: 'order..id',
            expiresAfterSeconds: 0,
            inProgressExpirySeconds: 50_000,
            ttl: 5,
          } as never,
        }),
      ),
    ).toEqual([
      'idempotency.tableName: must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -) or table ARN (got "x")',
      'idempotency.keyPath: must be a dot path into the body, such as \'order.id\' (no empty segment, no space) (got "order..id")',
      'idempotency.expiresAfterSeconds: must be an integer from 1 to 31536000 (got 0)',
      'idempotency.inProgressExpirySeconds: must be an integer from 1 to 43200 (got 50000)',
      'idempotency.ttl: is not a known option (ttl)',
    ]);
  });

  it('requires a table, and an object or false', () => {
    expect(
      problemsOf(() =>
        createBatchProcessor(() => 'ok', { configFromEnvironment: false, idempotency: {} as never }),
      ),
    ).toEqual(['idempotency.tableName: is required']);
    expect(
      problemsOf(() =>
        createBatchProcessor(() => 'ok', { configFromEnvironment: false, idempotency: 'orders' as never }),
      ),
    ).toEqual(['idempotency: must be false or an object { tableName, keyPath, ... } (got "orders")']);
  });

  it('refuses a key path on a text body, even when the path comes from the environment', () => {
    vi.stubEnv(
      'SQS_FAILSAFE_CONFIG',
      JSON.stringify({ idempotency: { tableName: 'orders', keyPath: 'id' } }),
    );
    expect(problemsOf(() => createBatchProcessor(() => 'ok', { body: 'text' }))).toEqual([
      "idempotency.keyPath: a path cannot be read from a text body (body is 'text'); use body 'json' or leave keyPath out to key by message id (got \"id\")",
    ]);
  });

  it('accepts idempotency: false in code to switch off what the environment turns on', async () => {
    vi.stubEnv('SQS_FAILSAFE_CONFIG', JSON.stringify({ idempotency: { tableName: 'orders' } }));
    const { applied, handler } = orderEffects();
    const processor = createBatchProcessor(handler, { idempotency: false });
    const record = order('o-14');
    await processor(eventOf([record]));
    await processor(eventOf([record]));
    expect(applied).toEqual(['o-14', 'o-14']);
  });
});
