import { describeSeconds, formatDuration } from '../../time/formatDuration.js';
import type { SetupRule } from '../setupRule.js';
import { isKnown } from '../setupRule.js';

export const IDEMPOTENCY_OUTLASTS_RETRY_HORIZON: SetupRule = {
  id: 'idempotency-outlasts-retry-horizon',
  severity: 'error',
  summary: 'A completed idempotency key lives longer than the retry horizon.',
  why:
    'a message processed once can come back until its retry horizon has passed (a crash after the record ' +
    'succeeded returns the whole batch); once its key has expired, the duplicate runs the effect again',
  reference: 'docs/aws-semantics.md#at-least-once-delivery',
  check({ idempotency, retryHorizon }) {
    if (idempotency === undefined || retryHorizon === undefined) return [];
    if (!isKnown(idempotency.expiresAfterSeconds) || !isKnown(retryHorizon.totalSeconds)) return [];
    if (idempotency.expiresAfterSeconds >= retryHorizon.totalSeconds) return [];
    return [
      {
        prop: 'idempotency.expiresAfter',
        value: describeSeconds(idempotency.expiresAfterSeconds),
        problem: `shorter than the retry horizon ${retryHorizon.description}`,
        fix: `set idempotency.expiresAfter to at least ${formatDuration(retryHorizon.totalSeconds)}`,
      },
    ];
  },
};

/**
 * The construct writes no expiry for its ledger (no prop sets one), so the runtime's default applies: 14 days,
 * SQS's longest retention. The lever is then the retry horizon, which the finding names.
 */
export const ATTEMPT_LEDGER_OUTLASTS_RETRY_HORIZON: SetupRule = {
  id: 'attempt-ledger-outlasts-retry-horizon',
  severity: 'error',
  summary: 'An attempt-ledger entry lives longer than the retry horizon.',
  why:
    'an entry that expires while its message can still be delivered restarts its attempt count: the message is ' +
    'retried past maxAttempts, until SQS moves it to the DLQ without its failure metadata',
  reference: 'docs/aws-semantics.md#dynamodb-time-to-live',
  check({ attemptLedger, attempts, retryHorizon }) {
    if (attemptLedger === undefined || attempts === undefined || retryHorizon === undefined) return [];
    if (!isKnown(attemptLedger.expiresAfterSeconds) || !isKnown(retryHorizon.totalSeconds)) return [];
    if (attemptLedger.expiresAfterSeconds >= retryHorizon.totalSeconds) return [];
    return [
      {
        prop: 'failsafe.deadLetter.maxAttempts',
        value: String(attempts.maxAttempts),
        problem:
          `the attempt ledger keeps an entry ${describeSeconds(attemptLedger.expiresAfterSeconds)} after its last ` +
          `write, shorter than the retry horizon ${retryHorizon.description}`,
        fix:
          `shorten the retry horizon to at most ${formatDuration(attemptLedger.expiresAfterSeconds)}: fewer ` +
          'failsafe.deadLetter.maxAttempts or shorter failsafe.redeliveryBackoff waits',
      },
    ];
  },
};
