import {
  reportedReceives,
  safetyNetMaxReceiveCount,
  UNREPORTED_RECEIVE_ALLOWANCE,
} from '../../attempts/receiveCountSafetyNet.js';
import { MAX_REDRIVE_RECEIVE_COUNT } from '../../aws/serviceLimits.js';
import type { SetupRule } from '../setupRule.js';
import { isKnown } from '../setupRule.js';

/** The formula with this setup's numbers, as a finding shows it (lib/attempts/receiveCountSafetyNet.ts). */
function formulaText(fifo: boolean, batchSize: number, maxAttempts: number, copies: boolean): string {
  const u = UNREPORTED_RECEIVE_ALLOWANCE;
  if (fifo)
    return `batchSize × (maxAttempts + 1) − 1 + ${u} = ${batchSize} × (${maxAttempts} + 1) − 1 + ${u}`;
  if (copies) return `1 + ${u} (copies restart the receive count)`;
  return `maxAttempts + ${u} = ${maxAttempts} + ${u}`;
}

/**
 * The queue's maxReceiveCount (M) is a safety net for receives nobody reports on (crashes, timeouts,
 * throttles): the runtime dead-letters by attempts, so M must cover every receive a message can have while
 * each invocation reports on it, plus an allowance for the unreported ones (safetyNetMaxReceiveCount, the one
 * formula; docs/failure-routing.md#the-queues-maxreceivecount).
 */
export const MAX_RECEIVE_COUNT_SAFETY_NET: SetupRule = {
  id: 'max-receive-count-safety-net',
  severity: 'error',
  summary:
    "The queue's maxReceiveCount covers every reported receive of a message plus an allowance for crashes.",
  why:
    'SQS moves a message on its maxReceiveCount-th receive without the failure metadata the runtime writes, so ' +
    'below the formula messages that were only waiting, or still had attempts left, reach the DLQ unexplained',
  reference: 'docs/aws-semantics.md#redrive-policy',
  check({ queue, mapping, attempts }) {
    const queueLimit = queue.maxReceiveCount;
    if (attempts === undefined || !isKnown(attempts.maxAttempts) || attempts.maxAttempts < 1) return [];
    const batchSize = mapping?.batchSize ?? 1;
    if (!isKnown(batchSize) || batchSize < 1) return [];
    const input = {
      maxAttempts: attempts.maxAttempts,
      fifo: queue.fifo,
      batchSize,
      redelivery: attempts.redelivery,
    };
    const minimum = safetyNetMaxReceiveCount(input);
    const formula = formulaText(
      queue.fifo,
      batchSize,
      attempts.maxAttempts,
      !queue.fifo && attempts.redelivery === 'copy',
    );
    if (minimum > MAX_REDRIVE_RECEIVE_COUNT) {
      const largest =
        Math.floor((MAX_REDRIVE_RECEIVE_COUNT - UNREPORTED_RECEIVE_ALLOWANCE + 1) / batchSize) - 1;
      return [
        {
          prop: 'failsafe.deadLetter.maxAttempts',
          value: String(attempts.maxAttempts),
          problem: `the queue's maxReceiveCount would have to be ${formula} = ${minimum}, over SQS's ${MAX_REDRIVE_RECEIVE_COUNT}`,
          fix: `lower failsafe.deadLetter.maxAttempts to at most ${largest} with batchSize ${batchSize}, or lower batchSize`,
        },
      ];
    }
    if (!isKnown(queueLimit) || queueLimit >= minimum) return [];
    return [
      {
        prop: 'maxReceiveCount',
        value: String(queueLimit),
        problem:
          `below ${minimum}: a message can have ${reportedReceives(input)} reported receive(s), and ${UNREPORTED_RECEIVE_ALLOWANCE} more ` +
          'are kept for crashes, timeouts and throttles',
        fix: `raise maxReceiveCount to at least ${minimum} (${formula}), or leave it unset`,
      },
    ];
  },
};

/** AWS's advice for a Lambda consumer of a queue with a DLQ: maxReceiveCount of at least 5. */
export const MIN_PLAIN_MAX_RECEIVE_COUNT = 5;

/**
 * For a consumer whose runtime does not count attempts (no sqs-failsafe, or no `deadLetter.maxAttempts`), the
 * queue's maxReceiveCount is the only count: throttled and crashed receives spend it as failures do. A runtime
 * that counts attempts is judged by MAX_RECEIVE_COUNT_SAFETY_NET instead.
 */
export const MAX_RECEIVE_COUNT_SURVIVES_THROTTLES: SetupRule = {
  id: 'max-receive-count-survives-throttles',
  severity: 'warning',
  summary: `The queue's maxReceiveCount is at least ${MIN_PLAIN_MAX_RECEIVE_COUNT} when nothing else counts attempts.`,
  why:
    'throttled invocations and crashes spend receives just like failures, so a low maxReceiveCount moves ' +
    'messages to the DLQ that were never processed, or failed only once on something transient',
  reference: 'docs/aws-semantics.md#maxreceivecount-of-at-least-5',
  check({ queue, deadLetterQueue, mapping, attempts }) {
    const limit = queue.maxReceiveCount;
    if (attempts !== undefined || mapping === undefined || deadLetterQueue === undefined) return [];
    if (!isKnown(limit) || limit >= MIN_PLAIN_MAX_RECEIVE_COUNT) return [];
    return [
      {
        prop: 'maxReceiveCount',
        value: String(limit),
        problem: `below the ${MIN_PLAIN_MAX_RECEIVE_COUNT} AWS advises for a Lambda consumer`,
        fix:
          `raise maxReceiveCount to at least ${MIN_PLAIN_MAX_RECEIVE_COUNT}, or leave it unset (FailsafeConsumer counts ` +
          'attempts itself and sizes it by its formula)',
      },
    ];
  },
};
