import type { SpyMessage } from 'fauxqs';
import { HISTORY_ATTRIBUTE, readFailureMetadata } from '../../lib/events/index.js';
import type { MessageFault } from '../traffic/faultMix.js';

interface TaskCounts {
  workPublished: number;
  workConsumed: number;
  /** Redelivery copies the consumer sent back to a work queue (each replaces a delivery it deletes). */
  copies: number;
  nativeMoved: number;
  dlqPublished: number;
  dlqConsumed: number;
  deadLetterAnnounced: number;
  /** Why each dead letter the runtime sent here was not earned, if it was not. */
  earlyDeadLetters: string[];
}

/** A task as the traffic driver planned it: which fault it asks the worker for. */
export interface PlannedTask {
  readonly taskId: string;
  readonly fault: MessageFault | undefined;
}

/**
 * The most attempts a task can fail, by the fault it asks for (functions/worker/faultInjection.ts and
 * local/traffic/faultMix.ts): a transient one its first 2 deliveries, a slow one its first (it runs into the
 * time budget); a flaky one heals inside the invocation and a timed-out one crashes, which is no attempt.
 * Permanent failures are dead-lettered as such, on their first attempt.
 */
const FAILED_ATTEMPTS: Readonly<Record<MessageFault | 'none', number>> = {
  none: 0,
  transient: 2,
  flaky: 0,
  permanent: 1,
  slow: 1,
  timeout: 0,
};

export interface LedgerTotals {
  readonly produced: number;
  /** Tasks done at least once (deleted from a work queue other than by dead-letter routing). */
  readonly processed: number;
  /** Tasks received more than once. */
  readonly retried: number;
  /** Tasks with a copy in a DLQ now. */
  readonly deadLettered: number;
  /** Tasks that reached a DLQ at some point, redriven since or not. */
  readonly everDeadLettered: number;
  /** Messages moved from a DLQ back to a work queue. */
  readonly redriven: number;
  /** Of those moves, the ones whose message failed again and was dead-lettered again (a permanent failure). */
  readonly redrivenAndDeadLetteredAgain: number;
  /** Dead letters moved by SQS's redrive policy (without failure metadata). */
  readonly movedWithoutMetadata: number;
  /** Outcome events published, by type. */
  readonly notifications: Readonly<Record<string, number>>;
  /** Dead letters the runtime sent, and how many of them were announced on the topic. */
  readonly deadLettersSent: number;
  readonly deadLettersAnnounced: number;
  /**
   * Extra copies: a task both done and dead-lettered, dead-lettered twice, or done more than once. With
   * redelivery copies a lower bound: a copy sent by an invocation that then died is counted as a copy.
   */
  readonly duplicates: number;
  /**
   * Tasks the runtime dead-lettered before their attempts were spent: by count with fewer attempts than
   * allowed, more than they can have failed, or a history that disagrees; or as permanent while they are
   * not. The max age is the one rule that may dead-letter a task that did not fail.
   */
  readonly deadLetteredEarly: number;
  /** Tasks still in a work queue. */
  readonly stuck: number;
  /** Tasks with no copy anywhere that were never done. */
  readonly lost: number;
}

/**
 * Accounts for every demo task from the server's own record of what happened to each message (the
 * embedded server's message spy): sends, deletes, DLQ moves and sends, redrives, and the events
 * announcing them. Tasks are recognised by the `taskId` in their body, so copies with new message ids
 * (dead letters, redriven messages) are followed too.
 */
export class ConservationLedger {
  readonly #tasks = new Map<string, TaskCounts>();
  readonly #taskByMessageId = new Map<string, string>();
  readonly #receives = new Map<string, number>();
  readonly #notifications: Record<string, number> = {};
  readonly #produced = new Set<string>();
  readonly #faults = new Map<string, MessageFault | undefined>();

  constructor(
    private readonly workQueues: ReadonlySet<string>,
    private readonly deadLetterQueues: ReadonlySet<string>,
    private readonly outcomeTopics: ReadonlySet<string>,
    /**
     * The consumer's `deadLetter.maxAttempts`, when it counts attempts, and whether any task may fail
     * (a downstream outage), beyond the faults the tasks ask for.
     */
    private readonly attempts?: { readonly maxAttempts: number; readonly anyTaskMayFail: boolean },
  ) {}

  produced(tasks: readonly PlannedTask[]): void {
    for (const { taskId, fault } of tasks) {
      this.#produced.add(taskId);
      this.#faults.set(taskId, fault);
    }
  }

  /** A batch a function received: counts receives per task. */
  received(bodies: readonly string[]): void {
    for (const body of bodies) {
      const taskId = taskIdOf(body);
      if (taskId !== undefined) this.#receives.set(taskId, (this.#receives.get(taskId) ?? 0) + 1);
    }
  }

  ingest(events: readonly SpyMessage[]): void {
    for (const event of events) {
      if (event.service === 'sns') {
        if (!this.outcomeTopics.has(event.topicName)) continue;
        const { type, message } = safeJson(event.body) as { type?: string; message?: { messageId?: string } };
        if (type === undefined) continue;
        this.#notifications[type] = (this.#notifications[type] ?? 0) + 1;
        const taskId =
          message?.messageId === undefined ? undefined : this.#taskByMessageId.get(message.messageId);
        if (type === 'message.dead-lettered' && taskId !== undefined)
          this.#counts(taskId).deadLetterAnnounced += 1;
        continue;
      }
      if (event.service !== 'sqs') continue;
      const taskId = taskIdOf(event.body);
      if (taskId === undefined) continue;
      const counts = this.#counts(taskId);
      const work = this.workQueues.has(event.queueName);
      const dlq = this.deadLetterQueues.has(event.queueName);
      if (work && event.status === 'published') {
        counts.workPublished += 1;
        if (event.messageAttributes?.[HISTORY_ATTRIBUTE] !== undefined) counts.copies += 1;
        this.#taskByMessageId.set(event.messageId, taskId);
      } else if (work && event.status === 'consumed') counts.workConsumed += 1;
      else if (work && event.status === 'dlq') counts.nativeMoved += 1;
      else if (dlq && event.status === 'published') {
        counts.dlqPublished += 1;
        const early = this.#earlyDeadLetter(taskId, event.messageAttributes ?? {});
        if (early !== undefined) counts.earlyDeadLetters.push(early);
      } else if (dlq && event.status === 'consumed') counts.dlqConsumed += 1;
    }
  }

  totals(): LedgerTotals {
    let processed = 0;
    let retried = 0;
    let deadLettered = 0;
    let everDeadLettered = 0;
    let redriven = 0;
    let redrivenAndDeadLetteredAgain = 0;
    let movedWithoutMetadata = 0;
    let deadLettersSent = 0;
    let deadLettersAnnounced = 0;
    let duplicates = 0;
    let stuck = 0;
    let lost = 0;
    let deadLetteredEarly = 0;
    for (const taskId of this.#produced) {
      const counts = this.#tasks.get(taskId) ?? emptyCounts();
      const routed = counts.dlqPublished - counts.nativeMoved;
      // A delete that followed a copy is no success: the copy carries the task on.
      const done = Math.max(0, counts.workConsumed - routed - counts.copies);
      if (counts.earlyDeadLetters.length > 0) deadLetteredEarly += 1;
      const inWork = counts.workPublished - counts.workConsumed - counts.nativeMoved;
      const inDlq = counts.dlqPublished - counts.dlqConsumed;
      if (done > 0) processed += 1;
      if ((this.#receives.get(taskId) ?? 0) > 1) retried += 1;
      if (inDlq > 0) deadLettered += 1;
      if (counts.dlqPublished > 0) everDeadLettered += 1;
      if (inWork > 0) stuck += 1;
      if (inWork <= 0 && inDlq <= 0 && done === 0) lost += 1;
      redriven += counts.dlqConsumed;
      // Each arrival in the DLQ after the first followed a redrive.
      redrivenAndDeadLetteredAgain += Math.min(counts.dlqConsumed, Math.max(0, counts.dlqPublished - 1));
      movedWithoutMetadata += counts.nativeMoved;
      deadLettersSent += routed;
      deadLettersAnnounced += Math.min(routed, counts.deadLetterAnnounced);
      duplicates += Math.max(0, done + Math.max(0, inDlq) - 1);
    }
    return {
      produced: this.#produced.size,
      processed,
      retried,
      deadLettered,
      everDeadLettered,
      redriven,
      redrivenAndDeadLetteredAgain,
      movedWithoutMetadata,
      notifications: { ...this.#notifications },
      deadLettersSent,
      deadLettersAnnounced,
      duplicates,
      deadLetteredEarly,
      stuck,
      lost,
    };
  }

  /** Each task dead-lettered early, with why: for the run's log. */
  earlyDeadLetters(): string[] {
    return [...this.#tasks.entries()].flatMap(([taskId, counts]) =>
      counts.earlyDeadLetters.map((why) => `${taskId}: ${why}`),
    );
  }

  /** Why a dead letter the runtime sent was not earned; undefined when it was (or carries no metadata). */
  #earlyDeadLetter(
    taskId: string,
    attributes: Record<string, { StringValue?: string; DataType?: string }>,
  ): string | undefined {
    const metadata = readFailureMetadata(attributes);
    if (metadata === undefined || this.attempts === undefined) return undefined;
    const { maxAttempts, anyTaskMayFail } = this.attempts;
    const fault = this.#faults.get(taskId);
    const canFail = anyTaskMayFail ? Number.POSITIVE_INFINITY : FAILED_ATTEMPTS[fault ?? 'none'];
    switch (metadata.reason) {
      case 'max-age-exceeded':
        return undefined;
      case 'permanent-error':
        return fault === 'permanent'
          ? undefined
          : `dead-lettered as permanent, but its fault is ${fault ?? 'none'}`;
      case 'max-attempts-reached':
        if (metadata.attempts < maxAttempts)
          return `dead-lettered after ${metadata.attempts} of ${maxAttempts} attempts`;
        if (metadata.history !== undefined && metadata.history.attempts !== metadata.attempts)
          return `its metadata says ${metadata.attempts} attempts, its history ${metadata.history.attempts}`;
        if (fault !== 'permanent' && canFail < maxAttempts)
          return `dead-lettered after ${metadata.attempts} attempts, but its fault (${fault ?? 'none'}) fails at most ${canFail}`;
        return undefined;
      default:
        return `an unknown reason ${String(metadata.reason)}`;
    }
  }

  #counts(taskId: string): TaskCounts {
    let counts = this.#tasks.get(taskId);
    if (counts === undefined) {
      counts = emptyCounts();
      this.#tasks.set(taskId, counts);
    }
    return counts;
  }
}

function emptyCounts(): TaskCounts {
  return {
    workPublished: 0,
    workConsumed: 0,
    copies: 0,
    nativeMoved: 0,
    dlqPublished: 0,
    dlqConsumed: 0,
    deadLetterAnnounced: 0,
    earlyDeadLetters: [],
  };
}

function taskIdOf(body: string): string | undefined {
  if (!body.includes('"taskId"')) return undefined;
  const taskId = (safeJson(body) as { taskId?: unknown }).taskId;
  return typeof taskId === 'string' ? taskId : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
