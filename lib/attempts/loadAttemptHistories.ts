import { HISTORY_ATTRIBUTE } from '../deadLetter/failureMetadata.js';
import { entry } from '../failureLayer/entryParts.js';
import type { LoggerLike, MetricCounter, RecordOutcome } from '../types.js';
import type { AttemptHistory } from './attemptHistory.js';
import { freshHistory, withNotAttempted } from './attemptHistory.js';
import type { AttemptTracking } from './attemptTracking.js';
import { carriedHistory } from './carriedHistory.js';

export interface LoadContext {
  readonly fifo: boolean;
  readonly logger: LoggerLike;
  readonly metrics: MetricCounter;
  /** Epoch ms: the ledger read must leave the records their time. */
  readonly deadline: number;
}

/**
 * Gives each record, before it is processed, the history it carries in: from its attribute when it is a
 * redelivery copy, from the attempt ledger when it stayed in its queue and was received before. Receives
 * of this SQS message that no history accounts for are the ones whose invocation never reported (a
 * crash, a timeout, a throttle), and are added as `unreported`.
 *
 * Part of the failure layer: the entry calls it only for a batch that needsAttemptHistories (a message
 * seen for the first time costs one attribute lookup there), and only batches holding a redelivered
 * message wait for a ledger read, one call per 100.
 */
export function loadAttemptHistories(
  outcomes: readonly RecordOutcome[],
  tracking: AttemptTracking,
  context: LoadContext,
): Promise<void> | undefined {
  const fromLedger: RecordOutcome[] = [];
  for (const outcome of outcomes) {
    const { record } = outcome;
    const attribute = record.messageAttributes?.[HISTORY_ATTRIBUTE];
    if (attribute !== undefined) carryIn(outcome, attribute, context);
    if (entry.receiveCountOf(record) === 1) continue;
    if (tracking.ledger !== undefined) fromLedger.push(outcome);
    else countUnreported(outcome);
  }
  if (fromLedger.length === 0) return undefined;
  return readLedger(fromLedger, tracking, context);
}

function carryIn(
  outcome: RecordOutcome,
  attribute: NonNullable<RecordOutcome['record']['messageAttributes'][string]>,
  context: LoadContext,
): void {
  // FIFO messages are never copied (a copy would leave its group's order), so any history is a producer's.
  const carried = context.fifo
    ? { ok: false as const, problem: 'FIFO messages are never redelivered as copies' }
    : carriedHistory(outcome.record, attribute);
  if (carried.ok) {
    adopt(outcome, carried.history);
    return;
  }
  context.metrics.add(entry.METRIC.attemptHistoriesIgnored, 1);
  context.logger.warn(
    `The ${HISTORY_ATTRIBUTE} message attribute was ignored: ${carried.problem}. ` +
      'The message is treated as seen for the first time.',
    { messageId: outcome.record.messageId },
  );
}

async function readLedger(
  outcomes: readonly RecordOutcome[],
  tracking: AttemptTracking,
  context: LoadContext,
): Promise<void> {
  const ledger = tracking.ledger;
  if (ledger === undefined) return;
  const reads = await ledger.read(
    outcomes.map((outcome) => outcome.record.messageId),
    { deadline: context.deadline },
  );
  let unreadable = 0;
  for (const [index, read] of reads.entries()) {
    const outcome = outcomes[index] as RecordOutcome;
    if (read.kind === 'found') adopt(outcome, read.history);
    else if (read.kind === 'unreadable') {
      unreadable += 1;
      context.logger.warn(
        'The attempt ledger could not be read for a message received before; its attempts count from what ' +
          'its delivery carries, so it can only get more tries, never fewer',
        { messageId: outcome.record.messageId, problem: read.problem },
      );
    }
    countUnreported(outcome);
  }
  if (unreadable > 0) context.metrics.add(entry.METRIC.attemptLedgerReadsFailed, unreadable);
}

function adopt(outcome: RecordOutcome, history: AttemptHistory): void {
  outcome.history = history;
  outcome.messageId = history.messageId;
  outcome.attempts = history.attempts;
}

/**
 * A copy starts at receive count 0 and a ledger entry says the receive it was written at, so any receive
 * in between was one nobody reported on.
 */
function countUnreported(outcome: RecordOutcome): void {
  const { record } = outcome;
  const receiveCount = entry.receiveCountOf(record);
  if (receiveCount === undefined) return;
  const accounted = outcome.history?.receiveCount ?? 0;
  const unreported = receiveCount - accounted - 1;
  if (unreported <= 0) return;
  const base = outcome.history ?? freshHistory(record.messageId, entry.sentTimestampOf(record));
  adopt(outcome, withNotAttempted(base, 'unreported', unreported));
}
