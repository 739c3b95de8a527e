import type { LoggerLike } from '../types.js';

/**
 * Said once, when a handler is created without dead-letter routing: a quick-start handler otherwise fails
 * its permanent errors silently in a loop, and the README's promise of "to the DLQ at once" only holds
 * with a DLQ configured.
 */
export function warnNoDeadLetterQueue(logger: LoggerLike): void {
  logger.warn(
    'sqs-failsafe: no DLQ is configured (deadLetter). Records that fail permanently (PermanentError, an ' +
      'undecodable or invalid body) are reported failed and come back after every visibility timeout ' +
      "until the queue's redrive policy (maxReceiveCount) moves them to its DLQ, without their error; " +
      'a queue without a redrive policy keeps them until they expire. To send them to the DLQ at once with ' +
      'their error, set deadLetter: { queueUrl: <the DLQ of the redrive policy> } in the options or in ' +
      'SQS_FAILSAFE_CONFIG (the FailsafeConsumer construct sets it).',
    { deadLetter: 'not configured' },
  );
}
