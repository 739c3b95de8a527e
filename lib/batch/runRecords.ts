import { FifoSkippedError } from '../errors.js';
import type { RecordOutcome } from '../types.js';
import { settleSkipped } from './outcome.js';
import { processRecord, processRecordAsync } from './processRecord.js';
import type { RunContext } from './runContext.js';
import { runWithConcurrency } from './runWithConcurrency.js';

/**
 * Processes every record of the batch. Standard queues: in parallel up to the concurrency limit. FIFO queues
 * (docs/aws-semantics.md#fifo-order-after-a-failure): in order, and after a failure the rest is skipped, so
 * SQS redelivers it after the failed message and order holds. In `skip-failed-group` mode only the rest of
 * the failed message's group is skipped, and groups run in parallel since order only binds within a group.
 */
export function runRecords(
  outcomes: readonly RecordOutcome[],
  fifo: boolean,
  run: RunContext,
): Promise<void> {
  const stop = () => run.budget.isExpired;
  if (!fifo) {
    return runWithConcurrency(
      outcomes,
      run.settings.concurrency,
      (outcome, done, freedAt) => processRecord(outcome, run, done, freedAt),
      stop,
    );
  }
  if (run.settings.fifoMode === 'stop-on-first-failure') return runInOrder(outcomes, run);
  return runWithConcurrency(
    groupByMessageGroup(outcomes),
    run.settings.concurrency,
    (group, done) => {
      const finished = () => done();
      runInOrder(group, run).then(finished, finished);
      return true;
    },
    stop,
  );
}

async function runInOrder(outcomes: readonly RecordOutcome[], run: RunContext): Promise<void> {
  for (const [position, outcome] of outcomes.entries()) {
    if (run.budget.isExpired) return;
    await processRecordAsync(outcome, run);
    if (outcome.status !== 'succeeded') {
      skipAfter(outcomes.slice(position + 1), outcome, run);
      return;
    }
  }
}

function skipAfter(rest: readonly RecordOutcome[], failed: RecordOutcome, run: RunContext): void {
  const { messageId } = failed;
  const group = failed.record.attributes.MessageGroupId;
  for (const outcome of rest) {
    settleSkipped(
      outcome,
      new FifoSkippedError(
        `Message ${outcome.messageId} was not processed: message ${messageId}` +
          `${group === undefined ? '' : ` of group ${group}`} failed before it, and FIFO order requires it to wait.`,
        { messageId: outcome.messageId, failedMessageId: messageId, messageGroupId: group },
      ),
      run.hooks,
    );
  }
}

function groupByMessageGroup(outcomes: readonly RecordOutcome[]): RecordOutcome[][] {
  const groups = new Map<string, RecordOutcome[]>();
  for (const outcome of outcomes) {
    const key = outcome.record.attributes.MessageGroupId ?? '';
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [outcome]);
    else group.push(outcome);
  }
  return [...groups.values()];
}
