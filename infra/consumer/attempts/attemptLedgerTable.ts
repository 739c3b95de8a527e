import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { LEDGER_EXPIRATION, LEDGER_KEY } from '../../../lib/attempts/attemptLedger.js';
import { createKeyedTable } from '../../tables/keyedTable.js';

/** What the runtime does on the ledger, and all the consumer is granted on it: batched reads and puts. */
export const ATTEMPT_LEDGER_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'] as const;

/**
 * The attempt ledger (docs/failure-routing.md, "Where the count lives"): partition key `id` (String), TTL
 * attribute `expiration` so entries go away for free once no delivery can follow, on-demand billing (it is
 * written only when records fail, so it costs nothing on a healthy queue), encrypted with the given key or
 * DynamoDB's AWS managed key, point-in-time recovery on. Its entries only matter while their messages can
 * still be delivered, so it is destroyed with the stack. A plain AWS::DynamoDB::Table, which the local
 * runtime emulates.
 */
export function createAttemptLedgerTable(
  scope: Construct,
  encryptionKey: kms.IKey | undefined,
): dynamodb.Table {
  return createKeyedTable(scope, 'AttemptLedger', {
    partitionKey: LEDGER_KEY,
    timeToLiveAttribute: LEDGER_EXPIRATION,
    encryptionKey,
  });
}
