import type { AttemptTracking } from '../attempts/attemptTracking.js';
import type { RedeliveryBackoffConfig } from '../config/batchConfig.js';
import { entry } from '../failureLayer/entryParts.js';
import type { RecordOutcome } from '../types.js';
import { redeliveryDelaySeconds } from './redeliveryDelay.js';

/** How one record comes back. */
export interface RedeliveryPlan {
  readonly outcome: RecordOutcome;
  /** Seconds until it is received again; undefined leaves it to the queue's visibility timeout. */
  readonly delaySeconds: number | undefined;
  /** As a fresh copy (the original is then deleted), rather than in place. */
  readonly byCopy: boolean;
}

export interface RedeliverySettings {
  readonly backoff: RedeliveryBackoffConfig | undefined;
  readonly tracking: AttemptTracking | undefined;
}

/**
 * Chooses each record's way back.
 * - Path: a copy on a standard queue when attempts are counted (so a copy's fresh receive count is safe:
 *   attempts or the max age end every life), for a failed attempt in `copy` mode and for every receive that
 *   was not an attempt in either mode, so that such receives never build up on a receive count. FIFO
 *   records always stay: a copy would join the end of their group.
 * - Delay: a record that was not attempted because of others (FIFO order, the time budget) comes back at
 *   once; a chained copy waits out the rest of its delay; a failed attempt (and a record the dependency
 *   breaker held back, or a duplicate waiting for its twin) waits the backoff of its attempt number. Without
 *   a count kept, the attempt number is unknown, and the receive count stands in for it.
 */
export function planRedelivery(
  outcome: RecordOutcome,
  settings: RedeliverySettings,
  fifo: boolean,
  now: number,
): RedeliveryPlan {
  const { tracking } = settings;
  const kind = entry.deliveryKind(outcome);
  // A record that came without a body (malformed) has nothing to copy: it stays, untouched, in place.
  const copyable = !(outcome.error instanceof entry.errors.MalformedRecordError);
  const byCopy =
    copyable && !fifo && tracking !== undefined && (tracking.redelivery === 'copy' || kind !== 'attempt');
  if (kind === 'skipped' || kind === 'released') return { outcome, delaySeconds: 0, byCopy };
  const dueAt = outcome.history?.dueAt;
  if (kind === 'deferred' && dueAt !== undefined)
    return { outcome, delaySeconds: Math.max(0, Math.ceil((Date.parse(dueAt) - now) / 1_000)), byCopy };
  // A copy must carry some delay, or a failing message would come straight back.
  const backoff = settings.backoff ?? (byCopy ? entry.BATCH_CONFIG_DEFAULTS.redeliveryBackoff : undefined);
  if (backoff === undefined) return { outcome, delaySeconds: undefined, byCopy };
  // An unusable receive count is read as a first receive: the shortest delay, never NaN.
  const attempt =
    tracking === undefined ? (entry.receiveCountOf(outcome.record) ?? 1) : Math.max(1, outcome.attempts);
  return { outcome, delaySeconds: redeliveryDelaySeconds(attempt, backoff), byCopy };
}
