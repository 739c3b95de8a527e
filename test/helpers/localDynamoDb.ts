import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { resetAwsClients } from '../../lib/aws/awsClients.js';

/**
 * A DynamoDB endpoint for tests: the embedded dynalite server by default, or whatever
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL point at (LocalStack, DynamoDB Local), or real AWS with
 * SQS_FAILSAFE_TEST_REAL_AWS=1, so the same tests run against either. Start it before startLocalAws():
 * dynalite is announced through AWS_ENDPOINT_URL_DYNAMODB, which the SDK prefers over the
 * AWS_ENDPOINT_URL the SQS/SNS server sets. Tables get unique names and are deleted by stop().
 */
export interface LocalDynamoDb {
  readonly endpoint: string | undefined;
  readonly client: DynamoDBClient;
  /** A table laid out as Powertools Idempotency expects: key `id` (S), TTL on `expiration`. */
  createIdempotencyTable(name: string): Promise<string>;
  /** A table of counters keyed by `id` (S). */
  createCounterTable(name: string): Promise<string>;
  /** The numeric attribute `attribute` of item `id`, 0 when absent. */
  counter(tableName: string, id: string, attribute?: string): Promise<number>;
  /** Every item of a table, as plain attribute maps. */
  items(tableName: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const external =
    process.env.AWS_ENDPOINT_URL_DYNAMODB !== undefined ||
    process.env.AWS_ENDPOINT_URL !== undefined ||
    process.env.SQS_FAILSAFE_TEST_REAL_AWS === '1';
  let server: ReturnType<typeof dynalite> | undefined;
  if (!external) {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const started = server;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    const { port } = started.address() as AddressInfo;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${port}`;
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  }
  process.env.AWS_REGION ??= 'eu-west-1';
  resetAwsClients();

  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  const client = new DynamoDBClient({});
  const run = randomUUID().slice(0, 8);
  const tables: string[] = [];

  async function createTable(name: string): Promise<string> {
    const TableName = `${name}-${run}`;
    await client.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    tables.push(TableName);
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName });
    return TableName;
  }

  return {
    endpoint,
    client,
    async createIdempotencyTable(name) {
      const TableName = await createTable(name);
      try {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName,
            TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
          }),
        );
      } catch {
        // dynalite has no TTL API; expiry is enforced by Powertools' condition on `expiration` anyway.
      }
      return TableName;
    },
    createCounterTable: createTable,
    async counter(tableName, id, attribute = 'count') {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { id: { S: id } }, ConsistentRead: true }),
      );
      return Number(Item?.[attribute]?.N ?? 0);
    },
    async items(tableName) {
      const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
      return Items.map((item) =>
        Object.fromEntries(Object.entries(item).map(([name, value]) => [name, value.S ?? value.N])),
      );
    },
    async stop() {
      await Promise.allSettled(tables.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
      client.destroy();
      if (server !== undefined) {
        const stopping = server;
        await new Promise<void>((resolve) => stopping.close(() => resolve()));
        delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      }
      resetAwsClients();
    },
  };
}
