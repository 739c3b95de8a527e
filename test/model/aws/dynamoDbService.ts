import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type AwsModel, NO_PROBLEMS, type RequestProblems } from './awsModel.js';

type Item = Record<string, AttributeValue>;

/** A request refused as a whole, as DynamoDB refuses it (ValidationException). */
const refused = (message: string): RequestProblems => ({
  request: [{ code: 'ValidationException', message }],
  entries: new Map(),
});

/**
 * DynamoDB as the attempt ledger uses it (docs/aws-semantics.md#dynamodb-batch-requests): tables keyed by
 * one String attribute `id`, BatchGetItem (at most 100 keys) and BatchWriteItem puts (at most 25), each key
 * once per request. Entries the fault plan fails come back unprocessed (`UnprocessedKeys`,
 * `UnprocessedItems`), DynamoDB's way of failing part of a batch. TTL is left out: no run lasts the days it
 * takes.
 */
export class DynamoDbService {
  readonly tables = new Map<string, Map<string, Item>>();

  registerOperations(aws: AwsModel): void {
    aws.register<BatchGetItemCommandInput>(BatchGetItemCommand, {
      name: 'DynamoDB.BatchGetItem',
      entryIds: (input) => requestKeys(input.RequestItems ?? {}),
      problems: (input) => batchProblems(requestKeys(input.RequestItems ?? {}), 100, 'BatchGetItem'),
      serve: (input, call) => {
        const Responses: Record<string, Item[]> = {};
        const UnprocessedKeys: Record<string, { Keys: Item[] }> = {};
        for (const [table, { Keys = [] }] of Object.entries(input.RequestItems ?? {})) {
          const stored = this.#table(table);
          for (const key of Keys) {
            const id = key.id?.S ?? '';
            if (call.failedEntries.has(id)) {
              UnprocessedKeys[table] = { Keys: [...(UnprocessedKeys[table]?.Keys ?? []), key] };
              continue;
            }
            const item = stored.get(id);
            if (item !== undefined) Responses[table] = [...(Responses[table] ?? []), structuredClone(item)];
          }
        }
        return { Responses, UnprocessedKeys };
      },
    });
    aws.register<BatchWriteItemCommandInput>(BatchWriteItemCommand, {
      name: 'DynamoDB.BatchWriteItem',
      entryIds: (input) => writeKeys(input.RequestItems ?? {}),
      problems: (input) => batchProblems(writeKeys(input.RequestItems ?? {}), 25, 'BatchWriteItem'),
      serve: (input, call) => {
        const UnprocessedItems: NonNullable<BatchWriteItemCommandInput['RequestItems']> = {};
        for (const [table, requests] of Object.entries(input.RequestItems ?? {})) {
          const stored = this.#table(table);
          for (const request of requests) {
            const item = request.PutRequest?.Item;
            const id = item?.id?.S ?? '';
            if (item === undefined || call.failedEntries.has(id)) {
              UnprocessedItems[table] = [...(UnprocessedItems[table] ?? []), request];
              continue;
            }
            stored.set(id, structuredClone(item));
          }
        }
        return { UnprocessedItems };
      },
    });
  }

  #table(name: string): Map<string, Item> {
    let table = this.tables.get(name);
    if (table === undefined) {
      table = new Map();
      this.tables.set(name, table);
    }
    return table;
  }
}

function requestKeys(requestItems: NonNullable<BatchGetItemCommandInput['RequestItems']>): string[] {
  return Object.values(requestItems).flatMap(({ Keys = [] }) => Keys.map((key) => key.id?.S ?? ''));
}

function writeKeys(requestItems: NonNullable<BatchWriteItemCommandInput['RequestItems']>): string[] {
  return Object.values(requestItems).flatMap((requests) =>
    requests.map((request) => request.PutRequest?.Item?.id?.S ?? ''),
  );
}

function batchProblems(keys: readonly string[], max: number, operation: string): RequestProblems {
  if (keys.length === 0) return refused(`${operation} needs at least one item`);
  if (keys.length > max) return refused(`${operation} takes at most ${max} items (got ${keys.length})`);
  if (new Set(keys).size !== keys.length) return refused('Provided list of item keys contains duplicates');
  return NO_PROBLEMS;
}
