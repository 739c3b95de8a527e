import type { LambdaContextLike } from '../event/sqsEvent.js';
import type { TimeBudgetView } from '../types.js';

/**
 * Kept free at the very end, after the stages' last AWS call is answered or aborted: logging the failed
 * records, the metrics line, and handing the response to Lambda.
 */
const RESPONSE_RESERVE_MS = 200;
/** Of that, kept free after the log lines: Lambda serialises and sends the response in it. */
const RETURN_RESERVE_MS = 50;

/**
 * The invocation's working time. A timeout makes AWS redeliver the whole batch, successes included
 * (docs/aws-semantics.md#report-batch-item-failures), so nothing may run into it. Three marks, before the
 * Lambda's end E:
 * - `deadline` (E - safetyMarginMs): records. No attempt starts that would end after it; at it the
 *   handlers' signal aborts, `expired` resolves, and the runner reports what is unfinished.
 * - `hardDeadline` (E - 200 ms): the stages after the records. Every AWS call they make (DLQ sends,
 *   visibility changes, publishes) is answered or aborted by it; a stage still running 75 ms later (one
 *   awaiting something else) is left behind.
 * - `returnBy` (E - 50 ms): log lines stop being written; the handler returns.
 * So the safety margin is the room the post-handler AWS calls always have, however long the records took
 * (docs/runtime.md, "Time budget"). A smaller margin than these reserves shrinks them to fit.
 * The AbortController is created only when someone asks for the signal: most handlers never do.
 */
export class TimeBudget implements TimeBudgetView {
  readonly deadline: number;
  readonly hardDeadline: number;
  readonly returnBy: number;
  readonly expired: Promise<void>;
  #controller: AbortController | undefined;
  #isExpired = false;
  #arming: ReturnType<typeof setImmediate> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #hardExpired: Promise<void> | undefined;
  #hardTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(deadline: number, hardDeadline: number, returnBy: number) {
    this.deadline = deadline;
    this.hardDeadline = hardDeadline;
    this.returnBy = returnBy;
    if (deadline === Number.POSITIVE_INFINITY) {
      this.expired = new Promise<void>(() => {});
      return;
    }
    const { promise, resolve } = Promise.withResolvers<void>();
    this.expired = promise;
    // Armed at the end of this turn of the event loop, not now: a batch that settles within the turn (a
    // healthy one with quick handlers) then only queues and clears an immediate, where arming and clearing
    // a timer was the largest fixed cost of a batch (docs/benchmarks.md). No deadline is lost by it: a
    // timer cannot fire before the turn ends either, and it is armed for the same absolute time.
    this.#arming = setImmediate(() => {
      this.#arming = undefined;
      this.#timer = setTimeout(
        () => {
          this.#isExpired = true;
          this.#controller?.abort();
          resolve();
        },
        Math.max(0, deadline - Date.now()),
      );
    });
  }

  /** Starts the budget; without `getRemainingTimeInMillis` (tests, scripts) it never runs out. */
  static start(context: LambdaContextLike, safetyMarginMs: number): TimeBudget {
    const remaining = context.getRemainingTimeInMillis?.();
    if (typeof remaining !== 'number' || !Number.isFinite(remaining)) {
      return new TimeBudget(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    }
    const end = Date.now() + remaining;
    return new TimeBudget(
      end - safetyMarginMs,
      end - Math.min(RESPONSE_RESERVE_MS, safetyMarginMs),
      end - Math.min(RETURN_RESERVE_MS, safetyMarginMs),
    );
  }

  /**
   * Resolves when a stage still running is left behind: shortly after the hard deadline, so that a stage
   * whose AWS calls were cut at the deadline still records what they did (a lost event, a failed send)
   * before it is judged. Its timer is created on first use, so a batch without stages never has one.
   */
  get hardExpired(): Promise<void> {
    if (this.#hardExpired === undefined) {
      if (this.hardDeadline === Number.POSITIVE_INFINITY) {
        this.#hardExpired = new Promise<void>(() => {});
      } else {
        const { promise, resolve } = Promise.withResolvers<void>();
        this.#hardExpired = promise;
        const leftBehindAt = this.hardDeadline + (this.returnBy - this.hardDeadline) / 2;
        this.#hardTimer = setTimeout(resolve, Math.max(0, leftBehindAt - Date.now()));
      }
    }
    return this.#hardExpired;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#isExpired) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  get isExpired(): boolean {
    return this.#isExpired;
  }

  remainingMs(): number {
    return this.deadline - Date.now();
  }

  allows(durationMs: number): boolean {
    return this.allowsAt(Date.now(), durationMs);
  }

  /** `allows` for a caller that has just read the clock, so the hot path reads it once per attempt. */
  allowsAt(now: number, durationMs: number): boolean {
    return now + durationMs <= this.deadline;
  }

  /** Stops the timer so a finished invocation leaves nothing scheduled. */
  dispose(): void {
    clearImmediate(this.#arming);
    clearTimeout(this.#timer);
    clearTimeout(this.#hardTimer);
  }
}
