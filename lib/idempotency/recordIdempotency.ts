import type { AwsClients } from '../aws/awsClients.js';
import type { IdempotencyConfig } from '../config/failsafeConfig.js';
import type { LambdaContextLike } from '../event/sqsEvent.js';
import { type IdempotencyKeyReader, idempotencyKeyReader } from './idempotencyKey.js';
import type { IdempotentRunner } from './idempotentRunner.js';

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

/**
 * Record-level idempotency on Powertools Idempotency with its DynamoDB persistence. Created with the
 * handler; the runner, Powertools and the DynamoDB client are imported on the first record only, so a
 * consumer without idempotency never loads them, and one with it pays for them once per container.
 *
 * The unit made idempotent is one handler attempt: a failed attempt releases the key, so in-invocation
 * retries and redeliveries can run it again; a successful one stores the result, so any later delivery
 * with the same key gets that result without running the handler.
 */
export function createRecordIdempotency(config: IdempotencyConfig, aws: AwsClients = {}): RecordIdempotency {
  let runner: Promise<IdempotentRunner> | undefined;
  return {
    keyOf: idempotencyKeyReader(config.keyPath),
    async run(attempt, work) {
      runner ??= import('./idempotentRunner.js').then(({ createIdempotentRunner }) =>
        createIdempotentRunner(config, aws),
      );
      return (await runner)(attempt, work);
    },
  };
}
