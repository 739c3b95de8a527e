import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { type ConsumerDefinition, groupConsumers } from '../../cli/console/consumers/consumerInventory.js';
import { inventoryFromQueues } from '../../cli/console/consumers/inventoryFromQueues.js';
import { type RunningConsole, startConsole } from '../../cli/console/startConsole.js';
import { failureFingerprint } from '../../lib/deadLetter/failureFingerprint.js';
import { FAILURE_ATTRIBUTES, HISTORY_ATTRIBUTE } from '../../lib/deadLetter/failureMetadata.js';
import { attemptEntry, historyWith } from './attemptHistories.js';
import type { LocalAws, LocalQueue } from './localAws.js';
import { seed } from './queueMessages.js';

/** Five ways to fail, each with messages that differ in their data (ids, numbers, quoted values). */
export const CAUSES = [
  {
    errorClass: 'ValidationError',
    reason: 'permanent-error',
    message: (n: number) => `total: expected a number > 0, got "${-n}"`,
  },
  {
    errorClass: 'NotFoundError',
    reason: 'permanent-error',
    message: (n: number) => `order ord-${1000 + n} not found`,
  },
  {
    errorClass: 'TimeoutError',
    reason: 'max-attempts-reached',
    message: (n: number) => `inventory timed out after ${3000 + n} ms`,
  },
  {
    errorClass: 'DependencyUnavailableError',
    reason: 'max-attempts-reached',
    message: () => 'payments is unavailable (breaker open)',
  },
  {
    errorClass: 'SyntaxError',
    reason: 'permanent-error',
    message: (n: number) => `Unexpected token } in JSON at position ${n}`,
  },
] as const;

export const causeId = (index: number) => {
  const cause = CAUSES[index] as (typeof CAUSES)[number];
  return failureFingerprint({
    errorClass: cause.errorClass,
    reason: cause.reason,
    errorMessage: cause.message(7),
  }).id;
};

export interface ConsoleFixture {
  readonly dlq: LocalQueue;
  readonly queue: LocalQueue;
  readonly consumer: ConsumerDefinition;
  readonly console: RunningConsole;
  depth(queue: LocalQueue): Promise<number>;
  close(): Promise<void>;
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** Two attempts, each failing with the cause's message. */
function historyOf(errorMessage: string) {
  const history = historyWith(0);
  return {
    ...history,
    attempts: 2,
    entries: [1, 2].map((n) =>
      attemptEntry({ errorClass: 'TimeoutError', errorMessage, invocation: `request-${n}` }),
    ),
  };
}

/**
 * A consumer's work queue whose redrive policy names its DLQ, the DLQ seeded with `perCause` dead letters
 * of each of the five CAUSES (as the runtime writes them), and a console over it, on the embedded server.
 */
export async function startConsoleFixture(server: LocalAws, perCause: number): Promise<ConsoleFixture> {
  const dlq = await server.createQueue('console-dlq');
  const queue = await server.createQueue('console-orders', {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 10 }),
  });
  const messages = CAUSES.flatMap((cause, index) =>
    Array.from({ length: perCause }, (_, n) => ({
      body: JSON.stringify({ cause: index, n, secret: `body-${index}-${n}` }),
      attributes: {
        [FAILURE_ATTRIBUTES.errorClass]: text(cause.errorClass),
        [FAILURE_ATTRIBUTES.errorMessage]: text(cause.message(n)),
        [FAILURE_ATTRIBUTES.reason]: text(cause.reason),
        [FAILURE_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: '3' },
        [FAILURE_ATTRIBUTES.attempts]: { DataType: 'Number', StringValue: '2' },
        [FAILURE_ATTRIBUTES.sourceQueueArn]: text(queue.arn),
        [FAILURE_ATTRIBUTES.firstReceivedAt]: text(new Date(Date.now() - 60_000).toISOString()),
        [FAILURE_ATTRIBUTES.deadLetteredAt]: text(
          new Date(Date.now() - (perCause - n) * 1_000).toISOString(),
        ),
        [FAILURE_ATTRIBUTES.functionName]: text('orders-worker'),
        // The timeouts carry their attempt history, as the runtime writes it; the rest only counts, as
        // dead letters written before histories existed do.
        ...(index === 2 ? { [HISTORY_ATTRIBUTE]: text(JSON.stringify(historyOf(cause.message(n)))) } : {}),
      },
    })),
  );
  await seed(server.sqs, dlq.url, messages);
  const inventory = await inventoryFromQueues([{ queue: queue.url }], {});
  const [consumer] = groupConsumers(inventory);
  if (consumer === undefined) throw new Error('the fixture found no consumer');
  // The embedded server answers at once: no long poll needed to see every message.
  const running = await startConsole({
    consumers: [consumer],
    problems: inventory.problems,
    scan: { receiveWaitSeconds: 0 },
    receiveWaitSeconds: 0,
  });
  return {
    dlq,
    queue,
    consumer,
    console: running,
    async depth(target) {
      const { Attributes } = await server.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: target.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(Attributes?.ApproximateNumberOfMessages) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
      );
    },
    close: () => running.close(),
  };
}
