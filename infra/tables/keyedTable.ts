import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface KeyedTableProps {
  /** The partition key's name (a String); `id` unless given. */
  readonly partitionKey?: string;
  /** The TTL attribute, when entries expire. */
  readonly timeToLiveAttribute?: string;
  /** A customer managed key; DynamoDB's AWS managed key when absent. */
  readonly encryptionKey: kms.IKey | undefined;
  /** DESTROY unless given. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The one way this project makes a DynamoDB table: a String partition key, on-demand billing (tables here
 * are written in bursts, or only when something fails), encrypted with the given key or DynamoDB's AWS
 * managed key, point-in-time recovery on, a TTL attribute when given. A plain AWS::DynamoDB::Table (not
 * TableV2's global table), which the local runtime emulates.
 */
export function createKeyedTable(scope: Construct, id: string, props: KeyedTableProps): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: props.partitionKey ?? 'id', type: dynamodb.AttributeType.STRING },
    ...(props.timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute: props.timeToLiveAttribute }),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    ...(props.encryptionKey
      ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
      : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
  });
}
