import type { IdempotencyConfig as PowertoolsIdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { type AwsClients, dynamoDbClient } from '../aws/awsClients.js';
import { BATCH_CONFIG_DEFAULTS, type IdempotencyConfig } from '../config/batchConfig.js';
import { DependencyError, DuplicateInProgressError, toError } from '../errors.js';
import type { LambdaContextLike } from '../event/sqsEvent.js';
import { type IdempotencyKeyReader, idempotencyKeyReader } from './idempotencyKey.js';
import { IDEMPOTENCY_STORE_DEPENDENCY } from './idempotencyStoreDependency.js';

/** What running a record's work through the idempotency store gave. */
export type IdempotentRun =
  /** The work ran now. `resultNotStored` is set when the effect happened but its record could not be saved. */
  | { readonly duplicate: false; readonly result: unknown; readonly resultNotStored?: Error | undefined }
  /** The key was already completed: the work did not run; the stored result is returned. */
  | { readonly duplicate: true; readonly result: unknown };

export interface IdempotentAttempt {
  readonly key: string;
  readonly messageId: string;
  readonly lambdaContext: LambdaContextLike;
}

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

interface LoadedIdempotency {
  readonly config: PowertoolsIdempotencyConfig;
  readonly idempotent: (payload: { key: string }, work: () => Promise<unknown>) => Promise<unknown>;
}

/**
 * Record-level idempotency on Powertools Idempotency with its DynamoDB persistence. Created with the
 * handler; Powertools and the DynamoDB client are imported on the first record only, so a consumer
 * without idempotency never loads them, and one with it pays for them once per container. Keys are
 * stored as `<prefix>#<md5 of {"key":...}>` (Powertools' format; the prefix defaults to the function
 * name), with a TTL attribute `expiration` (epoch seconds).
 *
 * The unit made idempotent is one handler attempt: a failed attempt releases the key, so in-invocation
 * retries and redeliveries can run it again; a successful one stores the result, so any later delivery
 * with the same key gets that result without running the handler.
 */
export function createRecordIdempotency(config: IdempotencyConfig, aws: AwsClients = {}): RecordIdempotency {
  const inProgressCapMs =
    config.inProgressExpirySeconds === undefined ? undefined : config.inProgressExpirySeconds * 1_000;
  let loading: Promise<LoadedIdempotency> | undefined;

  const load = (): Promise<LoadedIdempotency> => {
    loading ??= loadPowertools(config, aws).catch((error: unknown) => {
      // Try again on the next record rather than failing every record of the container's life.
      loading = undefined;
      throw error;
    });
    return loading;
  };

  return { keyOf: idempotencyKeyReader(config.keyPath), run: runIdempotently };

  async function runIdempotently(
    { key, messageId, lambdaContext }: IdempotentAttempt,
    work: () => Promise<unknown>,
  ): Promise<IdempotentRun> {
    let loaded: LoadedIdempotency;
    try {
      loaded = await load();
    } catch (error) {
      throw new DependencyError(IDEMPOTENCY_STORE_DEPENDENCY, error, idempotencyFailure(error));
    }
    // Powertools takes the in-progress expiry from the registered context's remaining time: a key held by
    // an invocation that crashed or timed out is free again once that invocation would have ended.
    loaded.config.registerLambdaContext(inProgressClock(lambdaContext, inProgressCapMs) as never);

    // Written inside the callback; the cast keeps TypeScript from narrowing it to its initial value.
    let ran = 'no' as 'no' | 'returned' | 'threw';
    let workResult: unknown;
    let workError: unknown;
    try {
      const result = await loaded.idempotent({ key }, async () => {
        try {
          workResult = await work();
          ran = 'returned';
        } catch (error) {
          ran = 'threw';
          workError = error;
          throw error;
        }
        return storable(workResult);
      });
      return ran === 'returned' ? { duplicate: false, result: workResult } : { duplicate: true, result };
    } catch (error) {
      // The handler's own error, even when releasing the key failed after it: its class decides retries.
      if (ran === 'threw') throw workError;
      // The effect happened; only saving its result failed. Reporting a failure would redeliver the
      // message and, once the in-progress key expires, repeat the effect: report the success instead.
      if (ran === 'returned') {
        return { duplicate: false, result: workResult, resultNotStored: toError(error) };
      }
      if (isPowertoolsError(error, 'IdempotencyAlreadyInProgressError')) {
        throw new DuplicateInProgressError(
          `Message ${messageId}: another invocation is processing a message with the same idempotency key ` +
            'right now; this one reports failed and SQS redelivers it later.',
          { messageId, key },
        );
      }
      throw new DependencyError(IDEMPOTENCY_STORE_DEPENDENCY, error, idempotencyFailure(error));
    }
  }
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

/** A context whose remaining time is the in-progress expiry: the invocation's, capped, or the default. */
function inProgressClock(
  lambdaContext: LambdaContextLike,
  capMs: number | undefined,
): { getRemainingTimeInMillis(): number } {
  return {
    getRemainingTimeInMillis() {
      const remaining = lambdaContext.getRemainingTimeInMillis?.();
      const known = typeof remaining === 'number' && Number.isFinite(remaining);
      const ms = known
        ? Math.min(remaining, capMs ?? Number.POSITIVE_INFINITY)
        : (capMs ?? BATCH_CONFIG_DEFAULTS.idempotency.inProgressExpirySeconds * 1_000);
      // Powertools skips the in-progress expiry on 0, which would hold the key until it expires completely.
      return Math.max(1, ms);
    },
  };
}

/** Results are stored as JSON; one that is not representable is stored as nothing. */
function storable(result: unknown): unknown {
  if (result === undefined) return undefined;
  try {
    const text = JSON.stringify(result);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPowertoolsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

function idempotencyFailure(error: unknown): string {
  const { name, message } = toError(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? ` (${cause.name}: ${cause.message})` : '';
  return `${IDEMPOTENCY_STORE_DEPENDENCY}: ${name}: ${message}${detail}`;
}
