import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

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
 * expired keys are removed for free, on-demand billing (a consumer's traffic comes in bursts), encrypted with
 * the given key or DynamoDB's AWS managed key, point-in-time recovery on. A plain AWS::DynamoDB::Table (not
 * TableV2's global table), which the local runtime emulates.
 */
export function createIdempotencyTable(scope: Construct, props: IdempotencyTableProps): dynamodb.Table {
  return new dynamodb.Table(scope, 'IdempotencyTable', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: 'expiration',
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    ...(props.encryptionKey
      ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
      : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
  });
}
