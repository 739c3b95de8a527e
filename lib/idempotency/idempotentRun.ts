import type { IdempotencyConfig as PowertoolsIdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import type { LambdaContextLike } from '../event/sqsEvent.js';
import { entry } from '../failureLayer/entryParts.js';
import { IDEMPOTENCY_STORE_DEPENDENCY } from './idempotencyStoreDependency.js';

/**
 * Running one handler attempt through Powertools Idempotency (recordIdempotency.ts describes the
 * behaviour). Part of the failure layer (lib/failureLayer/failureLayer.ts), which a consumer with
 * idempotency loads on its first record: its error classes come from the entry (entryParts.ts).
 */

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

/**
 * One handler's store: how to load Powertools (the entry's: its import() calls stay the entry's lazy
 * chunks, which the Powertools Logger shares).
 */
export interface IdempotencyStore {
  readonly inProgressCapMs: number | undefined;
  /** Once per container; a failed load is tried again on the next call. */
  readonly loadPowertools: () => Promise<LoadedIdempotency>;
}

export interface LoadedIdempotency {
  readonly config: PowertoolsIdempotencyConfig;
  readonly idempotent: (payload: { key: string }, work: () => Promise<unknown>) => Promise<unknown>;
}

export async function runIdempotently(
  store: IdempotencyStore,
  { key, messageId, lambdaContext }: IdempotentAttempt,
  work: () => Promise<unknown>,
): Promise<IdempotentRun> {
  let loaded: LoadedIdempotency;
  try {
    loaded = await store.loadPowertools();
  } catch (error) {
    throw new entry.errors.DependencyError(IDEMPOTENCY_STORE_DEPENDENCY, error, idempotencyFailure(error));
  }
  // Powertools takes the in-progress expiry from the registered context's remaining time: a key held by
  // an invocation that crashed or timed out is free again once that invocation would have ended.
  loaded.config.registerLambdaContext(inProgressClock(lambdaContext, store.inProgressCapMs) as never);

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
      return { duplicate: false, result: workResult, resultNotStored: entry.toError(error) };
    }
    if (isPowertoolsError(error, 'IdempotencyAlreadyInProgressError')) {
      throw new entry.errors.DuplicateInProgressError(
        `Message ${messageId}: another invocation is processing a message with the same idempotency key ` +
          'right now; this one reports failed and SQS redelivers it later.',
        { messageId, key },
      );
    }
    throw new entry.errors.DependencyError(IDEMPOTENCY_STORE_DEPENDENCY, error, idempotencyFailure(error));
  }
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
        : (capMs ?? entry.BATCH_CONFIG_DEFAULTS.idempotency.inProgressExpirySeconds * 1_000);
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
  const { name, message } = entry.toError(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? ` (${cause.name}: ${cause.message})` : '';
  return `${IDEMPOTENCY_STORE_DEPENDENCY}: ${name}: ${message}${detail}`;
}
