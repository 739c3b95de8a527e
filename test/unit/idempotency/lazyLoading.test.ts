import { describe, expect, it, vi } from 'vitest';
import { createBatchProcessor } from '../../../lib/index.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

/** Which of the heavy modules were evaluated: they must only load when idempotency is used. */
const loaded = vi.hoisted(() => new Set<string>());

vi.mock('@aws-lambda-powertools/idempotency', () => {
  loaded.add('powertools');
  return import('../../helpers/powertoolsIdempotencyStandIn.js');
});
vi.mock('@aws-lambda-powertools/idempotency/dynamodb', () => {
  loaded.add('persistence');
  return { DynamoDBPersistenceLayer: class {} };
});
vi.mock('@aws-sdk/client-dynamodb', () => {
  loaded.add('dynamodb');
  return { DynamoDBClient: class {} };
});

describe('idempotency is loaded lazily', () => {
  it('loads neither Powertools Idempotency nor the DynamoDB client without it, and all of them with it', async () => {
    await createBatchProcessor(() => 'ok', { configFromEnvironment: false })(eventOf([sqsRecord()]));
    expect([...loaded]).toEqual([]);

    const idempotent = createBatchProcessor(() => 'ok', {
      configFromEnvironment: false,
      idempotency: { tableName: 'orders-idempotency' },
    });
    expect([...loaded]).toEqual([]);
    const result = await idempotent(eventOf([sqsRecord()]), lambdaContext());
    expect(result.outcomes[0]?.status).toBe('succeeded');
    expect([...loaded].sort()).toEqual(['dynamodb', 'persistence', 'powertools']);
  });
});
