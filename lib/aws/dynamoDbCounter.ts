import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClient } from './awsClients.js';

/**
 * Adds `by` to the numeric attribute `count` of item `id` in a table keyed by `id` (String), creating the
 * item on first use, in one atomic UpdateItem. Deliberately not retried here: an ADD that timed out may
 * have been applied, and repeating it would count twice; the caller's own retry (and idempotency) decide.
 *
 * @example
 * await incrementCounter('worker-effects', 'task-17');
 */
export async function incrementCounter(
  tableName: string,
  id: string,
  by = 1,
  client?: DynamoDBClient,
): Promise<void> {
  const [dynamodb, { UpdateItemCommand }] = await Promise.all([
    dynamoDbClient(client),
    import('@aws-sdk/client-dynamodb'),
  ]);
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { id: { S: id } },
      UpdateExpression: 'ADD #count :by',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':by': { N: String(by) } },
    }),
  );
}
