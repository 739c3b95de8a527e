import { describe, expect, it, vi } from 'vitest';
import { DependencyError } from '../../../lib/errors.js';
import { IDEMPOTENCY_STORE_DEPENDENCY } from '../../../lib/idempotency/idempotencyStoreDependency.js';
import { createRecordIdempotency } from '../../../lib/idempotency/recordIdempotency.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';

/** The failure layer, where a record's run through the store lives, fails to load once (a broken deployment). */
const layer = vi.hoisted(() => ({ failNext: false }));
vi.mock('../../../lib/failureLayer/loadFailureLayer.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../lib/failureLayer/loadFailureLayer.js')>();
  return {
    ...original,
    loadedFailureLayer: () => undefined,
    loadFailureLayer: () => {
      if (!layer.failNext) return original.loadFailureLayer();
      layer.failNext = false;
      return Promise.reject(new Error('Cannot find module ./failureLayer.js'));
    },
  };
});
vi.mock('@aws-lambda-powertools/idempotency', () => import('../../helpers/powertoolsIdempotencyStandIn.js'));
vi.mock('@aws-lambda-powertools/idempotency/dynamodb', () => ({ DynamoDBPersistenceLayer: class {} }));
vi.mock('@aws-sdk/client-dynamodb', () => ({ DynamoDBClient: class {} }));

describe('idempotency when the failure layer cannot load', () => {
  it('fails the record as the store being out of reach, without running it, and runs it once the layer loads', async () => {
    // Prepare
    const idempotency = createRecordIdempotency({ tableName: 'orders-idempotency' });
    const attempt = { key: 'order-1', messageId: 'm-1', lambdaContext: lambdaContext() };
    const work = vi.fn(async () => 'done');
    layer.failNext = true;

    // Act
    const first = idempotency.run(attempt, work);

    // Assess: the dependency breaker counts it against the store; the handler did not run unprotected
    await expect(first).rejects.toBeInstanceOf(DependencyError);
    await expect(first).rejects.toMatchObject({ dependency: IDEMPOTENCY_STORE_DEPENDENCY });
    expect(work).not.toHaveBeenCalled();
    expect(await idempotency.run(attempt, work)).toEqual({ duplicate: false, result: 'done' });
    expect(work).toHaveBeenCalledTimes(1);
  });
});
