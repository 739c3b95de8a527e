/**
 * What happened to every message the producer sent, across all its copies (a dead letter, a redriven
 * message and the original are copies of one logical message: they share the body, which carries the
 * message's number `n`). The invariants are judged from this history, never from the runtime's own view.
 */

/** How the model's business handler treats a message (chosen by the producer command). */
export type Behaviour =
  | { readonly kind: 'ok' }
  /** Fails transiently on its first `failures` runs, then succeeds. */
  | { readonly kind: 'transient'; readonly failures: number }
  | { readonly kind: 'always-transient' }
  | { readonly kind: 'permanent' }
  /** Takes `ms` (ignoring the abort signal), then succeeds. */
  | { readonly kind: 'slow'; readonly ms: number }
  /** Crashes the function's process on its first `times` runs, then succeeds. */
  | { readonly kind: 'crash'; readonly times: number };

/**
 * `abandoned`: the invocation reported before the handler finished (the time budget ran out), so for the
 * runtime it was a failed attempt whatever the handler did later.
 */
export type RunResult = 'running' | 'success' | 'transient' | 'permanent' | 'crash' | 'abandoned';

export const FAILED_RUN: ReadonlySet<RunResult> = new Set(['transient', 'permanent', 'abandoned']);

export interface HandlerRun {
  readonly invocation: number;
  /** The copy the handler ran for (a batch can hold two copies of one message: an original and its redrive). */
  readonly messageId: string;
  readonly receiveCount: number;
  readonly startedAt: number;
  result: RunResult;
  endedAt: number | undefined;
}

/** How a receive of one copy ended for the consumer. */
export type DeliveryOutcome =
  | 'pending'
  /** Deleted by the event source mapping after the invocation reported it handled. */
  | 'deleted'
  /** Reported failed: it stays in the queue. */
  | 'kept'
  /** The invocation never reported (crash, timeout, throttle): it stays in the queue. */
  | 'unreported';

export interface Delivery {
  readonly invocation: number | undefined;
  readonly messageId: string;
  readonly receiveCount: number;
  /** SentTimestamp of the copy received (a redriven copy has its own). */
  readonly sentAt: number;
  readonly at: number;
  outcome: DeliveryOutcome;
  /**
   * Kept in place on a standard queue although it was no attempt (released, held, ...), because its
   * redelivery copy was not made for a reason the model caused: SQS refused it, or the container's AWS
   * calls had lately been slowed by a fault so the runtime did not start it (docs/failure-routing.md).
   */
  copyNotMade?: boolean;
}

export interface DeadLetter {
  readonly at: number;
  readonly by: 'runtime' | 'queue-policy';
  readonly messageId: string;
  /** For runtime dead letters: the invocation that sent it. */
  readonly invocation: number | undefined;
}

export class LogicalMessage {
  readonly runs: HandlerRun[] = [];
  readonly deliveries: Delivery[] = [];
  readonly deadLetters: DeadLetter[] = [];
  completedAt: number | undefined;
  expiredAt: number | undefined;

  constructor(
    readonly n: number,
    readonly behaviour: Behaviour,
    readonly sentAt: number,
    readonly groupId: string | undefined,
  ) {}

  /**
   * Deliveries whose runs ended in a failure of the handler: the handler's real attempts. Retries inside
   * one delivery are one attempt, and a success in it means it was none; two copies of the message in one
   * batch (a duplicate, a redriven copy) are two deliveries, each judged by its own runs.
   */
  get failedAttempts(): number {
    const deliveries = new Set<string>();
    const key = (run: HandlerRun) => `${run.invocation}/${run.messageId}`;
    for (const run of this.runs) if (FAILED_RUN.has(run.result)) deliveries.add(key(run));
    for (const run of this.runs) if (run.result === 'success') deliveries.delete(key(run));
    return deliveries.size;
  }

  /** Receives whose invocation never reported (crashed, timed out, throttled). */
  get unreportedReceives(): number {
    return this.deliveries.filter((delivery) => delivery.outcome === 'unreported').length;
  }

  /**
   * Receives reported on that still built up on a receive count because their copy was not made: like
   * unreported ones, the construct's formula leaves them to its allowance U (docs/failure-routing.md,
   * "The queue's maxReceiveCount").
   */
  get receivesWithoutCopy(): number {
    return this.deliveries.filter((delivery) => delivery.outcome === 'kept' && delivery.copyNotMade === true)
      .length;
  }

  get everDeadLettered(): boolean {
    return this.deadLetters.length > 0;
  }

  succeededIn(invocation: number, messageId: string): boolean {
    return this.runs.some(
      (run) => run.invocation === invocation && run.messageId === messageId && run.result === 'success',
    );
  }

  /**
   * Runs the runtime stopped waiting for (it reported, or dead-lettered the message, without them): for the
   * runtime they were failed attempts, whatever the handler does later.
   */
  abandonRunsIn(invocation: number, now: number): void {
    for (const run of this.runs)
      if (run.invocation === invocation && run.result === 'running') {
        run.result = 'abandoned';
        run.endedAt = now;
      }
  }

  /** The runs of one copy in one invocation. */
  runsOf(delivery: Delivery): HandlerRun[] {
    return this.runs.filter(
      (run) => run.invocation === delivery.invocation && run.messageId === delivery.messageId,
    );
  }

  get everSucceeded(): boolean {
    return this.runs.some((run) => run.result === 'success');
  }
}

export class Ledger {
  readonly messages: LogicalMessage[] = [];
  /** Order of sends per FIFO group. */
  readonly #groups = new Map<string, LogicalMessage[]>();

  add(behaviour: Behaviour, sentAt: number, groupId: string | undefined): LogicalMessage {
    const message = new LogicalMessage(this.messages.length + 1, behaviour, sentAt, groupId);
    this.messages.push(message);
    if (groupId !== undefined) {
      const group = this.#groups.get(groupId) ?? [];
      group.push(message);
      this.#groups.set(groupId, group);
    }
    return message;
  }

  get(n: number): LogicalMessage {
    const message = this.messages[n - 1];
    if (message === undefined) throw new Error(`no message ${n} was sent`);
    return message;
  }

  /** The messages of a group sent before this one. */
  earlierInGroup(message: LogicalMessage): LogicalMessage[] {
    if (message.groupId === undefined) return [];
    const group = this.#groups.get(message.groupId) ?? [];
    return group.slice(0, group.indexOf(message));
  }
}

/** The body the producer sends: the logical message's number and nothing sensitive. */
export const bodyOf = (n: number) => JSON.stringify({ n, task: `task-${n}` });

/** The logical message number a copy's body carries. */
export function numberOf(body: string): number {
  const parsed = JSON.parse(body) as { n?: unknown };
  if (typeof parsed.n !== 'number') throw new Error(`a body without its number: ${body}`);
  return parsed.n;
}
