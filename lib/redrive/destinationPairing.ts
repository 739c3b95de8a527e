import { RedriveDestinationNotPairedError } from './redriveErrors.js';
import type { QueueDescription } from './redriveQueues.js';

/**
 * Why a queue may not receive a DLQ's messages, or undefined when it may: its redrive policy must name this
 * DLQ. A queue that sends its failures elsewhere (or nowhere) is not where these messages came from, whatever a
 * message's metadata says, and a message sent there would never come back to this DLQ if it failed again.
 *
 * @example
 * unpairedReason('orders', undefined, dlq); // 'the redrive policy of orders names no DLQ, not orders-dlq'
 */
export function unpairedReason(
  queueName: string,
  target: string | undefined,
  dlq: Pick<QueueDescription, 'arn' | 'name'>,
): string | undefined {
  if (target === dlq.arn) return undefined;
  return target === undefined
    ? `the redrive policy of ${queueName} names no DLQ, not ${dlq.name}`
    : `the redrive policy of ${queueName} names ${target}, not ${dlq.name}`;
}

/**
 * Refuses a named destination that the DLQ's messages did not come from, unless the operator confirmed it: the
 * one rule every redrive follows (engine, CLI, console and the redrive function alike).
 */
export function assertPairedDestination(
  role: string,
  destination: QueueDescription,
  dlq: QueueDescription,
  confirmed: boolean,
): void {
  const reason = unpairedReason(destination.name, destination.redriveTarget, dlq);
  if (reason === undefined || confirmed) return;
  throw new RedriveDestinationNotPairedError(
    `Not sent: ${reason}, so ${dlq.name}'s messages did not come from it, and one that failed there again ` +
      `would not come back to ${dlq.name}. Nothing was moved. To send them to the ${role} anyway, confirm it ` +
      '(confirmUnpairedSource: true; on the command line --confirm-unpaired-source).',
    { dlq: dlq.url, [role]: destination.url },
  );
}
