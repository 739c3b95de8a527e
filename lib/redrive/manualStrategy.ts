import type { SQSClient } from '@aws-sdk/client-sqs';
import { describeAwsError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { changeVisibility, deleteMessages, type OutgoingMessage, sendMessages } from '../aws/sqsBatchApi.js';
import { type ReceivedMessage, receiveMessages } from '../aws/sqsQueueApi.js';
import { type FailureMetadata, readFailureMetadata } from '../deadLetter/failureMetadata.js';
import { sendInGroupOrder } from './fifoOrder.js';
import { rateLimiter } from './rateLimiter.js';
import { readRedriveCount } from './redriveCount.js';
import { parkedCopy, redrivenCopy } from './redriveMessage.js';
import type { ResolvedRedriveOptions } from './redriveOptions.js';
import type { QueueDescription } from './redriveQueues.js';
import type { RedriveMessageOutcome, RedrivePlan, RedriveStopReason } from './redriveReport.js';
import type { RedriveTally } from './redriveTally.js';
import type { Destination } from './sourceQueue.js';

/** SQS hands out at most 10 messages per receive. */
const RECEIVE_MAX = 10;
/**
 * The system attributes the engine reads: the group (FIFO), where SQS dead-lettered it from, and the trace
 * header it carries over.
 */
const SYSTEM_ATTRIBUTES = ['MessageGroupId', 'DeadLetterQueueSourceArn', 'AWSTraceHeader'] as const;

export interface ManualRun {
  readonly options: ResolvedRedriveOptions;
  readonly plan: RedrivePlan;
  readonly dlq: QueueDescription;
  readonly parking: QueueDescription | undefined;
  readonly destinationOf: (
    message: ReceivedMessage,
    metadata: FailureMetadata | undefined,
  ) => Promise<Destination>;
  readonly tally: RedriveTally;
  /** Aborts when the time budget ends or the caller aborts. */
  readonly stop: AbortSignal;
  readonly policy: AwsCallPolicy;
}

export interface ManualOutcome {
  readonly stopReason: RedriveStopReason;
  /** An error that ended the run early; held messages were released before it is reported. */
  readonly error?: unknown;
}

type Decision =
  | { readonly kind: 'hold'; readonly outcome: RedriveMessageOutcome; readonly keepsGroup: boolean }
  | { readonly kind: 'delete'; readonly outcome: RedriveMessageOutcome }
  | {
      readonly kind: 'send';
      readonly to: 'source' | 'parking';
      readonly url: string;
      readonly copy: OutgoingMessage;
    };

/**
 * The manual redrive: loops that each take permits from the rate limiter, receive up to 10 messages from
 * the DLQ, decide each (filter, cap, destination), send the movers to their source (or the capped to the
 * parking queue) and delete from the DLQ only what a queue has accepted. A crash anywhere leaves every
 * message in the DLQ, in a destination, or in both (a duplicate), never in neither.
 *
 * Messages that stay (filtered out, capped, failed, and everything in a dry run) are held invisible until
 * the run ends and then released at once, so no loop receives them twice and the DLQ is drained of
 * everything else. On a FIFO DLQ a held message also holds back the rest of its group (SQS hands out no
 * more of a group while one is in flight), which keeps group order: nothing overtakes a message that stays.
 */
export async function runManualStrategy(run: ManualRun): Promise<ManualOutcome> {
  const { options, dlq, tally, stop, policy } = run;
  const client = options.aws.sqs;
  const limiter = rateLimiter(options.ratePerSecond);
  const parkedByCap = options.operation !== 'park';
  /** Messages kept in the DLQ until the end: id -> latest receipt handle. */
  const held = new Map<string, string>();
  /** Messages already decided in this run; one that reappears (its visibility ran out) is not decided again. */
  const seen = new Set<string>();
  /** Sent, but their delete failed: if one reappears, deleting it completes its move. */
  const awaitingDelete = new Map<string, string | undefined>();
  let reserved = 0;
  let overLimit = false;
  let failure: { error: unknown } | undefined;

  /** Messages that left the DLQ as the operation wants: moved, or parked or deleted by such a run. */
  const done = () =>
    tally.counts.moved + tally.counts.deleted + (options.operation === 'park' ? tally.counts.parked : 0);
  const allowance = () =>
    options.maxMessages === undefined ? RECEIVE_MAX : options.maxMessages - done() - reserved;

  const reportProgress = () => {
    try {
      options.onProgress(tally.progress(run.plan, dlq.approximateDepth));
    } catch (error) {
      options.logger.warn('Redrive progress callback threw; the run goes on', { error });
    }
  };

  const loop = async () => {
    while (failure === undefined && !overLimit && !stop.aborted) {
      // Nothing left to reserve: the limit is reached, or the other loops' batches under way may reach it.
      const wanted = Math.min(RECEIVE_MAX, allowance());
      if (wanted <= 0) return;
      reserved += wanted;
      const permits = await limiter.take(wanted, stop);
      reserved -= wanted - permits;
      if (permits === 0) return;
      try {
        const received = await receive(permits);
        if (received === undefined) return;
        limiter.giveBack(permits - received.length);
        if (received.length === 0) return;
        let moved: number;
        try {
          moved = await handleBatch(received);
        } catch (error) {
          // A fault of our own: stop like on an AWS error. The batch's messages reappear after their
          // visibility timeout; none was deleted without its copy being accepted.
          failure ??= { error };
          return;
        }
        limiter.giveBack(received.length - moved);
        reportProgress();
      } finally {
        reserved -= permits;
      }
    }
  };

  const receive = async (count: number): Promise<ReceivedMessage[] | undefined> => {
    try {
      return await receiveMessages(
        dlq.url,
        {
          maxMessages: count,
          visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
          waitSeconds: options.receiveWaitSeconds,
          systemAttributes: SYSTEM_ATTRIBUTES,
        },
        policy,
        client,
      );
    } catch (error) {
      if (describeAwsError(error).name === 'OverLimit') overLimit = true;
      else failure ??= { error };
      return undefined;
    }
  };

  /** Decides, sends and deletes one received batch; returns how many messages left the DLQ. */
  const handleBatch = async (messages: readonly ReceivedMessage[]): Promise<number> => {
    const retryDeletes: ReceivedMessage[] = [];
    const fresh: ReceivedMessage[] = [];
    for (const message of messages) {
      if (awaitingDelete.has(message.messageId)) retryDeletes.push(message);
      else if (seen.has(message.messageId)) held.set(message.messageId, message.receiptHandle);
      else fresh.push(message);
    }

    // Read each message's metadata once, and resolve every destination with one wait for the batch.
    const metadata = fresh.map((message) => readFailureMetadata(message.attributes));
    const destinations = await Promise.all(
      fresh.map((message, index) => run.destinationOf(message, metadata[index])),
    );
    const blockedGroups = new Set<string>();
    const sends: {
      message: ReceivedMessage;
      decision: Extract<Decision, { kind: 'send' }>;
      base: RedriveMessageOutcome;
    }[] = [];
    // Deleted without a copy (a delete run): they join the deletions of the accepted copies below.
    const accepted: { message: ReceivedMessage; outcome: RedriveMessageOutcome }[] = [];
    for (const [index, message] of fresh.entries()) {
      seen.add(message.messageId);
      const count = readRedriveCount(message.attributes);
      tally.received(count > 0);
      const group = dlq.fifo ? message.system.MessageGroupId : undefined;
      const errorClass = metadata[index]?.errorClass;
      const base: RedriveMessageOutcome = {
        messageId: message.messageId,
        action: 'failed',
        redriveCount: count,
        ...(group === undefined ? {} : { messageGroupId: group }),
        ...(errorClass === undefined ? {} : { errorClass }),
      };
      const decision =
        group !== undefined && blockedGroups.has(group)
          ? hold(base, 'blocked', 'an earlier message of its group stays in the DLQ')
          : decide(message, count, base, destinations[index] as Destination);
      if (decision.kind === 'send') {
        sends.push({ message, decision, base });
        continue;
      }
      if (decision.kind === 'delete') {
        accepted.push({ message, outcome: decision.outcome });
        continue;
      }
      held.set(message.messageId, message.receiptHandle);
      tally.record(decision.outcome, parkedByCap);
      if (decision.keepsGroup && group !== undefined) blockedGroups.add(group);
    }

    const results = await sendInGroupOrder(
      sends,
      ({ decision }) => decision.copy.messageGroupId,
      async (entries) => {
        // One round may hold sources and the parking queue: one batch call per queue, in parallel.
        const answers: ({ ok: true; value: undefined } | { ok: false; reason: string })[] = [];
        const byUrl = Map.groupBy(entries.entries(), ([, { decision }]) => decision.url);
        await Promise.all(
          [...byUrl].map(async ([url, indexed]) => {
            const sent = await sendMessages(
              url,
              indexed.map(([, { decision }]) => decision.copy),
              policy,
              client,
            );
            for (const [position, [index]] of indexed.entries()) {
              const answer = sent[position];
              answers[index] = answer?.ok
                ? { ok: true, value: undefined }
                : {
                    ok: false,
                    reason:
                      answer === undefined
                        ? 'no answer'
                        : `${answer.failure.code}: ${answer.failure.message}`,
                  };
            }
          }),
        );
        return answers;
      },
    );
    for (const [index, result] of results.entries()) {
      const { message, decision, base } = sends[index] as (typeof sends)[number];
      const action = decision.to === 'parking' ? 'parked' : 'moved';
      if (result.status === 'sent') {
        accepted.push({ message, outcome: { ...base, action, destinationUrl: decision.url } });
        continue;
      }
      held.set(message.messageId, message.receiptHandle);
      tally.record(
        result.status === 'blocked'
          ? { ...base, action: 'blocked', reason: 'an earlier message of its group stays in the DLQ' }
          : {
              ...base,
              action: 'failed',
              destinationUrl: decision.url,
              reason: `the queue refused it (${result.reason})`,
            },
      );
    }

    const deletions = [...accepted.map(({ message }) => message), ...retryDeletes];
    if (deletions.length === 0) return 0;
    const deleted = await deleteMessages(
      dlq.url,
      deletions.map((message) => message.receiptHandle),
      policy,
      client,
    );
    let left = 0;
    for (const [index, result] of deleted.entries()) {
      const message = deletions[index] as ReceivedMessage;
      const first = accepted[index];
      if (first !== undefined) {
        if (result.ok) {
          left += 1;
          tally.record(first.outcome, parkedByCap);
        } else if (first.outcome.action === 'deleted') {
          // Nothing was sent: the message simply stays in the DLQ.
          held.set(message.messageId, message.receiptHandle);
          tally.record({
            ...first.outcome,
            action: 'failed',
            reason: `the delete was refused (${result.failure.code}: ${result.failure.message})`,
          });
        } else {
          awaitingDelete.set(message.messageId, first.outcome.destinationUrl);
          tally.record({
            ...first.outcome,
            action: 'duplicated',
            reason: `sent, but not deleted from the DLQ (${result.failure.code}: ${result.failure.message})`,
          });
        }
        continue;
      }
      if (result.ok) {
        left += 1;
        tally.resolveDuplicate(message.messageId, awaitingDelete.get(message.messageId));
        awaitingDelete.delete(message.messageId);
      } else {
        held.set(message.messageId, message.receiptHandle);
      }
    }
    return left;
  };

  const decide = (
    message: ReceivedMessage,
    count: number,
    base: RedriveMessageOutcome,
    destination: Destination,
  ): Decision => {
    if (!options.matches(message)) return hold(base, 'skipped-by-filter');
    if (options.operation === 'delete') {
      if (options.dryRun) return hold(base, 'would-delete', undefined, false);
      return { kind: 'delete', outcome: { ...base, action: 'deleted' } };
    }
    if (options.operation === 'park') return park(message, count, base);
    const cap = options.maxRedrivesPerMessage;
    if (cap !== undefined && count >= cap) {
      if (run.parking === undefined)
        return hold(base, 'capped', `redriven ${count} times, the cap is ${cap}`);
      return park(message, count, base);
    }
    if ('problem' in destination)
      return hold(
        destination.unpairedQueue === undefined
          ? base
          : { ...base, unpairedDestinationUrl: destination.unpairedQueue },
        'failed',
        destination.problem,
      );
    const copy = redrivenCopy(message, count, dlq.fifo);
    if (!copy.ok) return hold({ ...base, destinationUrl: destination.url }, 'failed', copy.problem);
    if (options.dryRun)
      return hold({ ...base, destinationUrl: destination.url }, 'would-move', undefined, false);
    return { kind: 'send', to: 'source', url: destination.url, copy: copy.message };
  };

  const park = (message: ReceivedMessage, count: number, base: RedriveMessageOutcome): Decision => {
    // Options validation guarantees a parking queue for a park run and for a cap with parking.
    const parking = run.parking as QueueDescription;
    if (options.dryRun) return hold({ ...base, destinationUrl: parking.url }, 'would-park', undefined, false);
    const parked = parkedCopy(message, count, dlq.fifo);
    if (!parked.ok) return hold(base, 'failed', parked.problem);
    return { kind: 'send', to: 'parking', url: parking.url, copy: parked.message };
  };

  await Promise.all(Array.from({ length: options.concurrency }, loop));

  await release([...held.values()], run, client);

  if (failure !== undefined) return { stopReason: 'aborted', error: failure.error };
  const maxReached = options.maxMessages !== undefined && done() >= options.maxMessages;
  const stopReason: RedriveStopReason = stop.aborted
    ? options.signal?.aborted
      ? 'aborted'
      : 'time-budget'
    : overLimit
      ? 'in-flight-limit'
      : maxReached
        ? 'max-messages'
        : 'drained';
  return { stopReason };
}

function hold(
  base: RedriveMessageOutcome,
  action: RedriveMessageOutcome['action'],
  reason?: string,
  keepsGroup = true,
): Decision {
  return {
    kind: 'hold',
    outcome: { ...base, action, ...(reason === undefined ? {} : { reason }) },
    keepsGroup,
  };
}

/**
 * Makes the held messages visible again at once (visibility 0), so they are back in the DLQ for the next
 * run or an operator as soon as this one ends, instead of after their visibility timeout.
 */
async function release(receiptHandles: readonly string[], run: ManualRun, client: SQSClient | undefined) {
  if (receiptHandles.length === 0) return;
  const results = await changeVisibility(
    run.dlq.url,
    receiptHandles.map((receiptHandle) => ({ receiptHandle, visibilityTimeout: 0 })),
    run.policy,
    client,
  );
  const failed = results.filter((result) => !result.ok).length;
  if (failed > 0) {
    run.options.logger.warn(
      'Some held messages could not be released; they reappear after their visibility timeout',
      {
        failed,
        visibilityTimeoutSeconds: run.options.visibilityTimeoutSeconds,
      },
    );
  }
}
