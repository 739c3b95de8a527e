import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { batchGetItems, batchPutItems } from '../aws/dynamoDbBatchApi.js';
import type { EntryResult } from '../aws/runBatchedEntries.js';
import type { AttemptLedgerConfig } from '../config/batchConfig.js';
import { entry } from '../failureLayer/entryParts.js';
import type { AttemptHistory } from './attemptHistory.js';
import { parseAttemptHistory } from './parseAttemptHistory.js';

/**
 * The table layout: the same as Powertools Idempotency's (key `id`, TTL `expiration` in epoch seconds),
 * so one way of creating tables serves both; the history is the same JSON a copy carries.
 */
export const LEDGER_KEY = 'id';
export const LEDGER_HISTORY = 'history';
export const LEDGER_EXPIRATION = 'expiration';

/** What the ledger holds for one SQS message. */
export type LedgerRead =
  | { readonly kind: 'found'; readonly history: AttemptHistory }
  | { readonly kind: 'absent' }
  /** The read failed, or the entry was not a history: treated as absent, never as a higher count. */
  | { readonly kind: 'unreadable'; readonly problem: string };

/**
 * The attempt ledger: the attempt history of messages that stay in their queue between deliveries,
 * keyed by the SQS message id of the delivery (the id a FIFO or visibility-mode message keeps). Written
 * whole on each failure or skip (a put, so writes batch by 25), read only for messages received more than
 * once. Entries expire on their own (DynamoDB TTL) once no delivery can follow.
 */
export interface AttemptLedger {
  read(messageIds: readonly string[], policy: AwsCallPolicy): Promise<LedgerRead[]>;
  write(
    entries: readonly { readonly messageId: string; readonly history: AttemptHistory }[],
    policy: AwsCallPolicy,
  ): Promise<EntryResult<undefined>[]>;
}

export function attemptLedger(config: AttemptLedgerConfig, client?: DynamoDBClient): AttemptLedger {
  const expiresAfterSeconds =
    config.expiresAfterSeconds ?? entry.BATCH_CONFIG_DEFAULTS.attemptLedger.expiresAfterSeconds;
  return {
    async read(messageIds, policy) {
      const results = await batchGetItems(config.tableName, LEDGER_KEY, messageIds, policy, client);
      return results.map((result): LedgerRead => {
        if (!result.ok)
          return { kind: 'unreadable', problem: `${result.failure.code}: ${result.failure.message}` };
        const text = result.value?.[LEDGER_HISTORY]?.S;
        if (text === undefined) return { kind: 'absent' };
        const parsed = parseAttemptHistory(text);
        return parsed.ok
          ? { kind: 'found', history: parsed.history }
          : { kind: 'unreadable', problem: `the entry is not an attempt history: ${parsed.problem}` };
      });
    },
    write(entries, policy) {
      const expiration = String(Math.ceil(Date.now() / 1_000) + expiresAfterSeconds);
      return batchPutItems(
        config.tableName,
        LEDGER_KEY,
        entries.map(({ messageId, history }) => ({
          [LEDGER_KEY]: { S: messageId },
          [LEDGER_HISTORY]: { S: JSON.stringify(history) },
          [LEDGER_EXPIRATION]: { N: expiration },
        })),
        policy,
        client,
      );
    },
  };
}
