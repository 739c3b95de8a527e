import type { SqsRecord } from '../event/sqsEvent.js';
import type { HookRunner } from '../hooks/hookRunner.js';
import type { RecordOutcome } from '../types.js';

/**
 * Every field an outcome will ever hold is set from the start, so all outcomes share one hidden class and
 * the runner's writes to them stay fast (fields added later would change each object's shape).
 */
export function createOutcome(record: SqsRecord, index: number): RecordOutcome {
  return {
    record,
    messageId: record.messageId,
    index,
    status: 'pending',
    error: undefined,
    permanent: false,
    calls: 0,
    attempts: 0,
    history: undefined,
    startedAt: undefined,
    finishedAt: undefined,
    result: undefined,
    deadLetter: undefined,
    deadLetterError: undefined,
    retryScheduled: undefined,
  };
}

/*
 * The settle functions are the only writers of a final status, and of the attempt count: a delivery in
 * which the handler ran is an attempt, one in which it did not (skipped, held back, undecodable) is not.
 * Each acts only on a pending outcome: when the time budget runs out the runner settles unfinished records
 * itself, and a handler that finishes later must not overwrite what has already been reported.
 */

export function settleSucceeded(
  outcome: RecordOutcome,
  result: unknown,
  hooks: HookRunner,
  finishedAt = Date.now(),
): void {
  if (outcome.status !== 'pending') return;
  outcome.status = 'succeeded';
  outcome.result = result;
  outcome.finishedAt = finishedAt;
  if (outcome.calls > 0) outcome.attempts += 1;
  hooks.call('onSuccess', outcome, outcome.messageId);
}

export function settleFailed(
  outcome: RecordOutcome,
  error: Error,
  permanent: boolean,
  hooks: HookRunner,
): void {
  if (outcome.status !== 'pending') return;
  outcome.status = 'failed';
  outcome.error = error;
  outcome.permanent = permanent;
  outcome.finishedAt = Date.now();
  if (outcome.calls > 0) outcome.attempts += 1;
  hooks.call('onFailure', outcome, outcome.messageId);
}

export function settleSkipped(outcome: RecordOutcome, error: Error, hooks: HookRunner): void {
  if (outcome.status !== 'pending') return;
  outcome.status = 'skipped';
  outcome.error = error;
  outcome.finishedAt = Date.now();
  hooks.call('onFailure', outcome, outcome.messageId);
}
