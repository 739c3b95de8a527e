import { type AwsClients, dynamoDbClient } from '../aws/awsClients.js';
import { BATCH_CONFIG_DEFAULTS, type IdempotencyConfig } from '../config/batchConfig.js';
import { DependencyError } from '../errors.js';
import { loadFailureLayer } from '../failureLayer/loadFailureLayer.js';
import { type IdempotencyKeyReader, idempotencyKeyReader } from './idempotencyKey.js';
import { IDEMPOTENCY_STORE_DEPENDENCY } from './idempotencyStoreDependency.js';
import type {
  IdempotencyStore,
  IdempotentAttempt,
  IdempotentRun,
  LoadedIdempotency,
} from './idempotentRun.js';

export type { IdempotentAttempt, IdempotentRun } from './idempotentRun.js';

export interface RecordIdempotency {
  /** The record's key; throws IdempotencyKeyError (permanent) when its body has no usable one. */
  readonly keyOf: IdempotencyKeyReader;
  /**
   * Runs `work` unless the key is already completed (returns the stored result) or in progress elsewhere
   * (throws DuplicateInProgressError). When `work` throws, its error is rethrown as it is and the key is
   * released, so a retry can run it again.
   */
  run(attempt: IdempotentAttempt, work: () => Promise<unknown>): Promise<IdempotentRun>;
}

/**
 * Record-level idempotency on Powertools Idempotency with its DynamoDB persistence. Created with the
 * handler. What runs a record through the store (idempotentRun.ts) is part of the failure layer, loaded on
 * the first record, and it imports Powertools and the DynamoDB client then: a consumer without idempotency
 * never loads any of them, and one with it pays for them once per container. Keys are stored as
 * `<prefix>#<md5 of {"key":...}>` (Powertools' format; the prefix defaults to the function name), with a
 * TTL attribute `expiration` (epoch seconds).
 *
 * The unit made idempotent is one handler attempt: a failed attempt releases the key, so in-invocation
 * retries and redeliveries can run it again; a successful one stores the result, so any later delivery
 * with the same key gets that result without running the handler.
 */
export function createRecordIdempotency(config: IdempotencyConfig, aws: AwsClients = {}): RecordIdempotency {
  let loading: Promise<LoadedIdempotency> | undefined;
  const store: IdempotencyStore = {
    loadPowertools: () => {
      loading ??= loadPowertools(config, aws).catch((error: unknown) => {
        // Try again on the next record rather than failing every record of the container's life.
        loading = undefined;
        throw error;
      });
      return loading;
    },
    inProgressCapMs:
      config.inProgressExpirySeconds === undefined ? undefined : config.inProgressExpirySeconds * 1_000,
  };
  return {
    keyOf: idempotencyKeyReader(config.keyPath),
    async run(attempt, work) {
      // On the first record Powertools loads while the layer does; the layer reports a failure to load it.
      store.loadPowertools().catch(() => {});
      const layer = await loadFailureLayer().catch((error: unknown) => {
        // Without the code that reaches the store, the store is out of reach: the breaker counts it so,
        // and the record fails (SQS redelivers it) rather than run without its duplicate check.
        throw new DependencyError(IDEMPOTENCY_STORE_DEPENDENCY, error);
      });
      return layer.runIdempotently(store, attempt, work);
    },
  };
}

async function loadPowertools(config: IdempotencyConfig, aws: AwsClients): Promise<LoadedIdempotency> {
  const [{ IdempotencyConfig, makeIdempotent }, { DynamoDBPersistenceLayer }, client] = await Promise.all([
    import('@aws-lambda-powertools/idempotency'),
    import('@aws-lambda-powertools/idempotency/dynamodb'),
    dynamoDbClient(aws.dynamodb),
  ]);
  const powertoolsConfig = new IdempotencyConfig({
    expiresAfterSeconds: config.expiresAfterSeconds ?? BATCH_CONFIG_DEFAULTS.idempotency.expiresAfterSeconds,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: config.tableName,
    awsSdkV3Client: client,
  });
  // The payload hashed is `{ key }` (argument 0); the second argument carries the attempt to run.
  const idempotent = makeIdempotent((_payload: { key: string }, work: () => Promise<unknown>) => work(), {
    persistenceStore,
    config: powertoolsConfig,
    dataIndexArgument: 0,
    ...(config.keyPrefix === undefined ? {} : { keyPrefix: config.keyPrefix }),
  });
  return { config: powertoolsConfig, idempotent };
}
