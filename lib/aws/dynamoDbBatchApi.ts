import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { dynamoDbBatchClient, dynamoDbCommands } from './awsClients.js';
import type { BatchCallAnswer, BatchRunStats, EntryResult } from './runBatchedEntries.js';
import { runBatchedEntries } from './runBatchedEntries.js';
import { MAX_DYNAMODB_BATCH_GET_ITEMS, MAX_DYNAMODB_BATCH_WRITE_ITEMS } from './serviceLimits.js';

/**
 * The DynamoDB batch operations the product uses, on a table keyed by one String attribute, over any
 * number of items, one result per item, through the same batched layer as SQS and SNS: chunked to
 * DynamoDB's limits (100 keys per BatchGetItem, 25 writes per BatchWriteItem), throttled calls retried,
 * and `UnprocessedKeys` / `UnprocessedItems` answered entry by entry like SQS's `Failed[]`
 * (docs/aws-semantics.md#dynamodb-batch-requests).
 */

export type DynamoDbItem = Record<string, AttributeValue>;

/**
 * The client and command classes, loaded inside the first request (as for SQS) so that loading the SDK
 * counts against the request's time limit like the request itself.
 */
const loadDynamoDb = (client: DynamoDBClient | undefined) =>
  Promise.all([dynamoDbBatchClient(client), dynamoDbCommands()]);

/** The key attribute's String value. */
type KeyOf = (item: DynamoDbItem) => string | undefined;

/**
 * Reads items by key; `undefined` for a key the table does not hold. Keys must be distinct (DynamoDB
 * refuses a request naming one twice).
 */
export async function batchGetItems(
  tableName: string,
  keyName: string,
  keys: readonly string[],
  policy: AwsCallPolicy,
  client?: DynamoDBClient,
  stats?: BatchRunStats,
): Promise<EntryResult<DynamoDbItem | undefined>[]> {
  const keyOf: KeyOf = (item) => item[keyName]?.S;
  return runBatchedEntries(
    keys,
    async (entries, abortSignal) => {
      const [dynamodb, { BatchGetItemCommand }] = await loadDynamoDb(client);
      const response = await dynamodb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: {
              Keys: entries.map(({ entry }) => ({ [keyName]: { S: entry } })),
              // The ledger is read right after another invocation wrote it: an eventually consistent read
              // could miss the last attempt.
              ConsistentRead: true,
            },
          },
        }),
        { abortSignal },
      );
      const found = new Map<string, DynamoDbItem>();
      for (const item of onlyTable(response.Responses) ?? []) {
        const key = keyOf(item);
        if (key !== undefined) found.set(key, item);
      }
      const unprocessed = new Set(
        (onlyTable(response.UnprocessedKeys)?.Keys ?? []).map((key) => keyOf(key as DynamoDbItem)),
      );
      return answer(entries, (key) => (unprocessed.has(key) ? 'unprocessed' : { value: found.get(key) }));
    },
    { maxEntries: MAX_DYNAMODB_BATCH_GET_ITEMS },
    policy,
    stats,
  );
}

/** Writes (puts) items, each whole; items must have distinct keys. */
export async function batchPutItems(
  tableName: string,
  keyName: string,
  items: readonly DynamoDbItem[],
  policy: AwsCallPolicy,
  client?: DynamoDBClient,
  stats?: BatchRunStats,
): Promise<EntryResult<undefined>[]> {
  const keyOf: KeyOf = (item) => item[keyName]?.S;
  return runBatchedEntries(
    items,
    async (entries, abortSignal) => {
      const [dynamodb, { BatchWriteItemCommand }] = await loadDynamoDb(client);
      const response = await dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { [tableName]: entries.map(({ entry }) => ({ PutRequest: { Item: entry } })) },
        }),
        { abortSignal },
      );
      const unprocessed = new Set(
        (onlyTable(response.UnprocessedItems) ?? []).map((request) =>
          request.PutRequest?.Item === undefined ? undefined : keyOf(request.PutRequest.Item),
        ),
      );
      return answer(
        entries.map(({ id, entry }) => ({ id, entry: keyOf(entry) ?? '' })),
        (key) => (unprocessed.has(key) ? 'unprocessed' : { value: undefined }),
      );
    },
    { maxEntries: MAX_DYNAMODB_BATCH_WRITE_ITEMS },
    policy,
    stats,
  );
}

/**
 * A request names one table, so its answer holds at most one; taken by position, since a table named by
 * its ARN may be answered under its name.
 */
function onlyTable<T>(byTable: Record<string, T> | undefined): T | undefined {
  return byTable === undefined ? undefined : Object.values(byTable)[0];
}

/**
 * DynamoDB answers a batch by key, not by entry: each entry's key is looked up in the answer. An
 * unprocessed entry is retryable, as AWS asks (it was throttled or the request ran out of capacity).
 */
function answer<TValue>(
  entries: readonly { id: string; entry: string }[],
  outcomeOf: (key: string) => 'unprocessed' | { value: TValue },
): BatchCallAnswer<TValue> {
  const successful: { id: string; value: TValue }[] = [];
  const failed: BatchCallAnswer<TValue>['failed'][number][] = [];
  for (const { id, entry } of entries) {
    const outcome = outcomeOf(entry);
    if (outcome === 'unprocessed')
      failed.push({
        id,
        code: 'Unprocessed',
        message: 'DynamoDB left it unprocessed (throttled or out of capacity)',
        senderFault: false,
      });
    else successful.push({ id, value: outcome.value });
  }
  return { successful, failed };
}
