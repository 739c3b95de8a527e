import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttemptLedger } from '../attempts/attemptLedger.js';
import type { AttemptLedgerConfig } from '../config/batchConfig.js';
import { withFailureLayer } from './loadFailureLayer.js';

/**
 * The attempt ledger as the handler holds it from its cold start: the real one (attemptLedger.ts) is in
 * the failure layer, built on its first read or write. Both are asynchronous AWS calls bounded by the
 * caller's deadline, so loading the layer first changes nothing a caller can see but that time.
 */
export function lazyAttemptLedger(config: AttemptLedgerConfig, client?: DynamoDBClient): AttemptLedger {
  let ledger: AttemptLedger | undefined;
  const use = <T>(call: (real: AttemptLedger) => Promise<T>): Promise<T> =>
    withFailureLayer((layer) => {
      ledger ??= layer.attemptLedger(config, client);
      return call(ledger);
    });
  return {
    read: (messageIds, policy) => use((real) => real.read(messageIds, policy)),
    write: (entries, policy) => use((real) => real.write(entries, policy)),
  };
}
