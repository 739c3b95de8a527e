/**
 * Where a standard queue's message goes when it becomes visible again, as AWS does it
 * (docs/aws-semantics.md#standard-queue-order): back to its place in send order, until it has been received
 * three times without being deleted; only then to the back of the queue.
 *
 * fauxqs puts every such message at the back (docs/aws-semantics.md#fauxqs-gaps). Behind a backlog that
 * defers every retry until the backlog is gone, and the queue's tail is then nothing but retries: with a
 * few percent of messages failing transiently, most records of the tail fail, the transient-failure alarm
 * reads an outage and the consumer breaker pauses. On AWS those retries come back among the backlog, where
 * they are the few percent they are.
 *
 * fauxqs has no option for this, so the local runtime wraps two methods of its queue class, which its
 * package does not export: `processTimers` (visibility timeouts running out) and `changeVisibility` with
 * 0 (a message released at once). Everything else, FIFO queues included (fauxqs already puts a returning
 * message at the front of its group), stays fauxqs's own. The internals used are checked, so a fauxqs
 * release that changes them fails loudly here instead of silently going back to the wrong order.
 */

/** Receives after which SQS moves a message that is still not deleted to the back of a standard queue. */
export const RECEIVES_BEFORE_BACK_OF_QUEUE = 3;

/** The part of a fauxqs message this module reads. */
interface QueuedMessage {
  readonly sentTimestamp: number;
  readonly approximateReceiveCount: number;
}

/** The part of fauxqs's SqsQueue this module reads and wraps. */
interface QueueInternals {
  messages: QueuedMessage[];
  readonly inflightMessages: Map<string, { message: QueuedMessage; visibilityDeadline: number }>;
  isFifo(): boolean;
  processTimers(): void;
  changeVisibility(receiptHandle: string, timeoutSeconds: number): void;
}

export class StandardQueueOrderError extends Error {
  override name = 'StandardQueueOrderError';
}

const APPLIED = Symbol.for('sqs-failsafe.local.standardQueueOrder');

let applying: Promise<void> | undefined;

/**
 * Makes every fauxqs standard queue in this process return messages as AWS does. Idempotent; call it
 * before the server hands out messages.
 */
export function keepStandardQueueOrder(): Promise<void> {
  applying ??= loadQueueClass().then(wrapQueueClass);
  return applying;
}

/**
 * Puts a message back among the visible ones at its place in send order: after every message sent no
 * later than it, before the first one sent after it.
 */
export function insertInSendOrder(messages: QueuedMessage[], message: QueuedMessage): void {
  const index = messages.findIndex((queued) => queued.sentTimestamp > message.sentTimestamp);
  if (index === -1) messages.push(message);
  else messages.splice(index, 0, message);
}

async function loadQueueClass(): Promise<{ prototype: QueueInternals }> {
  // The queue class is in the module the package's entry point imports; the same URL gives the same class.
  const entry = import.meta.resolve('fauxqs');
  const module = (await import(new URL('./sqs/sqsStore.js', entry).href).catch(() => ({}))) as {
    SqsQueue?: { prototype: QueueInternals };
  };
  const prototype = module.SqsQueue?.prototype;
  const missing = ['isFifo', 'processTimers', 'changeVisibility'].filter(
    (method) => typeof (prototype as unknown as Record<string, unknown> | undefined)?.[method] !== 'function',
  );
  if (module.SqsQueue === undefined || missing.length > 0) {
    throw new StandardQueueOrderError(
      `The installed fauxqs has no SqsQueue${missing.length > 0 ? ` with ${missing.join(', ')}` : ''} in ` +
        'dist/sqs/sqsStore.js, so the local runtime cannot give its standard queues the order AWS keeps. ' +
        'Install the fauxqs version package-lock.json names, or adapt local/sqs/standardQueueOrder.ts.',
    );
  }
  return module.SqsQueue;
}

function wrapQueueClass(queueClass: { prototype: QueueInternals }): void {
  const prototype = queueClass.prototype as QueueInternals & { [APPLIED]?: true };
  if (prototype[APPLIED]) return;
  const { processTimers, changeVisibility } = prototype;

  prototype.processTimers = function processTimersInSendOrder(this: QueueInternals) {
    if (!this.isFifo()) returnToPlace(this, Date.now());
    // fauxqs's own pass then moves what is left (messages received three times) to the back, releases
    // delayed messages and wakes waiting receives.
    processTimers.call(this);
  };

  prototype.changeVisibility = function changeVisibilityInSendOrder(
    this: QueueInternals,
    receiptHandle: string,
    timeoutSeconds: number,
  ) {
    const entry = this.inflightMessages.get(receiptHandle);
    if (timeoutSeconds !== 0 || entry === undefined || this.isFifo()) {
      changeVisibility.call(this, receiptHandle, timeoutSeconds);
      return;
    }
    // Visible now: the same path as a visibility timeout running out.
    entry.visibilityDeadline = Date.now();
    this.processTimers();
  };

  prototype[APPLIED] = true;
}

function returnToPlace(queue: QueueInternals, now: number): void {
  for (const [receiptHandle, entry] of queue.inflightMessages) {
    if (entry.visibilityDeadline > now) continue;
    if (entry.message.approximateReceiveCount >= RECEIVES_BEFORE_BACK_OF_QUEUE) continue;
    queue.inflightMessages.delete(receiptHandle);
    insertInSendOrder(queue.messages, entry.message);
  }
}
