import type { SetupRule } from '../setupRule.js';

export const REPORTS_BATCH_ITEM_FAILURES: SetupRule = {
  id: 'reports-batch-item-failures',
  severity: 'error',
  summary: 'The event source mapping reads partial batch responses (ReportBatchItemFailures).',
  why:
    'Lambda ignores the list of failed records: one failure returns the whole batch, so the records that ' +
    'succeeded run again and every message of the batch spends a receive',
  reference: 'docs/aws-semantics.md#report-batch-item-failures',
  check({ mapping }) {
    if (mapping === undefined || mapping.reportBatchItemFailures) return [];
    return [
      {
        prop: 'consumerFunction',
        value: 'a mapping without ReportBatchItemFailures',
        problem: 'the mapping does not list ReportBatchItemFailures in its function response types',
        fix: 'consume the queue with FailsafeConsumer, whose event source always reports batch item failures',
      },
    ];
  },
};

export const DEAD_LETTER_QUEUE_CONFIGURED: SetupRule = {
  id: 'dead-letter-queue-configured',
  severity: 'error',
  summary: 'The work queue has a redrive policy naming a DLQ.',
  why:
    'a message that keeps failing is received again and again until its retention runs out, and is then ' +
    'deleted: lost, with nothing left to redrive',
  reference: 'docs/aws-semantics.md#redrive-policy',
  check({ queue, deadLetterQueue }) {
    if (deadLetterQueue !== undefined) return [];
    return [
      {
        prop: 'maxReceiveCount',
        value: 'no redrive policy',
        problem: `${queue.name} has no DLQ`,
        fix: 'use FailsafeConsumer, which creates the DLQ and the redrive policy (maxReceiveCount)',
      },
    ];
  },
};

/**
 * A hand-wired consumer (docs/migrating.md) names its DLQ twice: in the runtime's deadLetter.queueUrl and in
 * the queue's redrive policy. The construct writes both from one queue, so only a live setup can differ.
 */
export const RUNTIME_DEAD_LETTERS_TO_REDRIVE_TARGET: SetupRule = {
  id: 'runtime-dead-letters-to-redrive-target',
  severity: 'error',
  summary: "The runtime dead-letters to the queue the work queue's redrive policy names.",
  why:
    'the runtime sends the messages it dead-letters to one queue and SQS moves the rest to another: the DLQ ' +
    "alarm, the redrive and the retention rules see only the redrive policy's, so the runtime's dead letters " +
    'wait unseen until their queue deletes them',
  reference: 'docs/aws-semantics.md#redrive-policy',
  check({ deadLetterQueue, runtimeDeadLetterQueueName }) {
    if (deadLetterQueue === undefined || runtimeDeadLetterQueueName === undefined) return [];
    if (runtimeDeadLetterQueueName === deadLetterQueue.name) return [];
    return [
      {
        prop: 'existingQueue.deadLetterQueue',
        value: runtimeDeadLetterQueueName,
        problem: `the runtime dead-letters to ${runtimeDeadLetterQueueName}, the redrive policy to ${deadLetterQueue.name}`,
        fix:
          "use FailsafeConsumer with existingQueue: { queue, deadLetterQueue }, which writes the runtime's " +
          "deadLetter.queueUrl from the queue's DLQ, so the two cannot differ",
      },
    ];
  },
};

/** A message the mapping's filter does not match is deleted, not left for anyone else. */
export const MAPPING_FILTERS_DELETE_MESSAGES: SetupRule = {
  id: 'mapping-filters-delete-messages',
  severity: 'warning',
  summary: 'The event source mapping has no filter criteria.',
  why:
    'Lambda deletes every message that matches none of the filters: the function never sees it, no DLQ gets ' +
    'it, and nothing else can consume it from the queue',
  reference: 'docs/aws-semantics.md#event-filtering-deletes',
  check({ mapping }) {
    const patterns = mapping?.filterPatterns ?? [];
    if (patterns.length === 0) return [];
    return [
      {
        prop: 'consumerFunction',
        value: `a mapping with ${patterns.length} filter(s): ${patterns.join(' ')}`,
        problem: 'messages that match no filter are deleted unprocessed',
        fix:
          'consume the queue with FailsafeConsumer, whose event source filters nothing; skip unwanted records in ' +
          'the handler, or filter before the queue (an SNS subscription filter policy, topicSubscriptions[].filterPolicy)',
      },
    ];
  },
};
