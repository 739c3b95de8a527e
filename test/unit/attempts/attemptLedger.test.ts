import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { attemptLedger } from '../../../lib/attempts/attemptLedger.js';
import { batchGetItems, batchPutItems } from '../../../lib/aws/dynamoDbBatchApi.js';
import { historyWith, useLedgerTable } from '../../helpers/attemptHistories.js';
import { throttlingError } from '../../helpers/awsMocks.js';

const unlimited = { deadline: Number.POSITIVE_INFINITY };

describe('the attempt ledger on DynamoDB (dynalite)', () => {
  const table = useLedgerTable('attempt-ledger');

  it('writes histories and reads them back; a message never written is absent', async () => {
    const ledger = attemptLedger(
      { tableName: table.tableName, expiresAfterSeconds: 3_600 },
      table.dynamoDb.client,
    );
    const histories = Array.from({ length: 30 }, (_, index) => historyWith(index % 4, { skipped: index }));
    const written = await ledger.write(
      histories.map((history) => ({ messageId: history.messageId, history })),
      unlimited,
    );
    expect(written.every((result) => result.ok)).toBe(true);
    const reads = await ledger.read(
      [...histories.map((history) => history.messageId), 'never-written'],
      unlimited,
    );
    expect(reads.slice(0, 30)).toEqual(histories.map((history) => ({ kind: 'found', history })));
    expect(reads[30]).toEqual({ kind: 'absent' });
    const items = await table.dynamoDb.items(table.tableName);
    const expiration = Number(items[0]?.expiration);
    expect(expiration).toBeGreaterThan(Date.now() / 1_000 + 3_500);
    expect(expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1_000) + 3_600);
  });

  it('reports an entry that is not a history as unreadable, never as a count', async () => {
    await batchPutItems(
      table.tableName,
      'id',
      [{ id: { S: 'garbled' }, history: { S: '{"attempts":99}' } }],
      unlimited,
      table.dynamoDb.client,
    );
    const [read] = await attemptLedger({ tableName: table.tableName }, table.dynamoDb.client).read(
      ['garbled'],
      unlimited,
    );
    expect(read).toEqual({
      kind: 'unreadable',
      problem: 'the entry is not an attempt history: version is not 1',
    });
  });
});

describe('DynamoDB batch calls through the batched layer', () => {
  it('reads 100 keys and writes 25 items per call, the minimum number of calls', async () => {
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock.on(BatchGetItemCommand).resolves({ Responses: { table: [] } });
    mock.on(BatchWriteItemCommand).resolves({});
    const keys = Array.from({ length: 250 }, (_, index) => `k${index}`);
    await batchGetItems('table', 'id', keys, unlimited, client);
    await batchPutItems(
      'table',
      'id',
      keys.map((key) => ({ id: { S: key } })),
      unlimited,
      client,
    );
    expect(
      mock
        .commandCalls(BatchGetItemCommand)
        .map((call) => call.args[0].input.RequestItems?.table?.Keys?.length),
    ).toEqual([100, 100, 50]);
    expect(mock.commandCalls(BatchWriteItemCommand)).toHaveLength(10);
  });

  it('retries what DynamoDB left unprocessed, entry by entry, and a throttled call', async () => {
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock
      .on(BatchWriteItemCommand)
      .rejectsOnce(throttlingError())
      .resolvesOnce({ UnprocessedItems: { table: [{ PutRequest: { Item: { id: { S: 'b' } } } }] } })
      .resolves({});
    const results = await batchPutItems(
      'table',
      'id',
      [{ id: { S: 'a' } }, { id: { S: 'b' } }],
      unlimited,
      client,
    );
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    const calls = mock
      .commandCalls(BatchWriteItemCommand)
      .map((call) => call.args[0].input.RequestItems?.table?.length);
    expect(calls).toEqual([2, 2, 1]);
  });

  it('gives up on an entry still unprocessed when its calls are spent, and says so', async () => {
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock.on(BatchGetItemCommand).resolves({ UnprocessedKeys: { table: { Keys: [{ id: { S: 'a' } }] } } });
    const policy = { deadline: Date.now() + 5_000, maxAttempts: 2, baseDelayMs: 1 };
    const [result] = await batchGetItems('table', 'id', ['a'], policy, client);
    expect(mock.commandCalls(BatchGetItemCommand)).toHaveLength(2);
    expect(result).toEqual({
      ok: false,
      failure: {
        code: 'Unprocessed',
        message: 'DynamoDB left it unprocessed (throttled or out of capacity)',
        retryable: true,
      },
    });
  });
});
