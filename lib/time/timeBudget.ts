import type { LambdaContextLike } from '../event/sqsEvent.js';
import type { TimeBudgetView } from '../types.js';

/** Kept free at the very end for returning the response after the stages' last AWS call. */
const RESPONSE_RESERVE_MS = 100;

/**
 * The invocation's working time: the Lambda's remaining time minus a safety margin. A timeout makes AWS
 * redeliver the whole batch, successes included, so nothing may run into it: at the deadline the signal
 * aborts and `expired` resolves, and the runner reports what is unfinished instead of waiting for it.
 * The AbortController is created only when someone asks for the signal: most handlers never do.
 */
export class TimeBudget implements TimeBudgetView {
  readonly deadline: number;
  readonly hardDeadline: number;
  readonly expired: Promise<void>;
  #controller: AbortController | undefined;
  #isExpired = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(deadline: number, hardDeadline: number) {
    this.deadline = deadline;
    this.hardDeadline = hardDeadline;
    if (deadline === Number.POSITIVE_INFINITY) {
      this.expired = new Promise<void>(() => {});
      return;
    }
    const { promise, resolve } = Promise.withResolvers<void>();
    this.expired = promise;
    this.#timer = setTimeout(
      () => {
        this.#isExpired = true;
        this.#controller?.abort();
        resolve();
      },
      Math.max(0, deadline - Date.now()),
    );
  }

  /** Starts the budget; without `getRemainingTimeInMillis` (tests, scripts) it never runs out. */
  static start(context: LambdaContextLike, safetyMarginMs: number): TimeBudget {
    const remaining = context.getRemainingTimeInMillis?.();
    if (typeof remaining !== 'number' || !Number.isFinite(remaining)) {
      return new TimeBudget(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    }
    const now = Date.now();
    return new TimeBudget(
      now + remaining - safetyMarginMs,
      now + remaining - Math.min(RESPONSE_RESERVE_MS, safetyMarginMs),
    );
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
    clearTimeout(this.#timer);
  }
}
