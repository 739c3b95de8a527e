import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { createKeyedTable } from '../../tables/keyedTable.js';

export interface IdempotencyTableProps {
  readonly encryptionKey: kms.IKey | undefined;
  readonly removalPolicy: RemovalPolicy | undefined;
}

/** What Powertools Idempotency reads and writes, and all the consumer is granted on the table. */
export const IDEMPOTENCY_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/**
 * The idempotency table in Powertools' layout: partition key `id` (String), TTL attribute `expiration` so
 * expired keys are removed for free; on-demand, encrypted, point-in-time recovery on (createKeyedTable).
 */
export function createIdempotencyTable(scope: Construct, props: IdempotencyTableProps): dynamodb.Table {
  return createKeyedTable(scope, 'IdempotencyTable', {
    timeToLiveAttribute: 'expiration',
    encryptionKey: props.encryptionKey,
    ...(props.removalPolicy === undefined ? {} : { removalPolicy: props.removalPolicy }),
  });
}
