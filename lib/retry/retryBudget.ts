import type { RetryBudgetConfig } from '../config/batchConfig.js';

/**
 * A per-container budget for retries inside invocations: over a sliding window of the last
 * `windowSeconds` (one-second buckets, so the window spans between `windowSeconds - 1` and
 * `windowSeconds` seconds), at most `ratio x first attempts + minRetriesPerSecond x windowSeconds`
 * retries are allowed. It lives as long as the handler (the container), across invocations, because an
 * outage lasts longer than one batch. A retry it refuses is not lost: the record reports failed and SQS
 * redelivers it after its redelivery delay.
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #windowSeconds: number;
  readonly #reserve: number;
  readonly #now: () => number;
  /** Ring of one-second buckets: which second each holds, and its counts. */
  readonly #bucketSecond: number[];
  readonly #firstAttempts: number[];
  readonly #retries: number[];
  /** The bucket the last first attempt went to: its second, and that second's epoch-ms range. */
  #currentIndex = 0;
  #currentSecond = Number.NEGATIVE_INFINITY;
  #currentFrom = Number.POSITIVE_INFINITY;
  #currentTo = Number.NEGATIVE_INFINITY;

  constructor(options: Required<RetryBudgetConfig>, now: () => number = Date.now) {
    this.#ratio = options.ratio;
    this.#windowSeconds = options.windowSeconds;
    this.#reserve = options.minRetriesPerSecond * options.windowSeconds;
    this.#now = now;
    this.#bucketSecond = new Array<number>(options.windowSeconds).fill(Number.NEGATIVE_INFINITY);
    this.#firstAttempts = new Array<number>(options.windowSeconds).fill(0);
    this.#retries = new Array<number>(options.windowSeconds).fill(0);
  }

  /**
   * Counts a first attempt: each one earns `ratio` of a retry. O(1), on every record, so the caller may
   * pass the clock reading it already took (epoch ms) rather than pay for another.
   */
  recordFirstAttempt(at: number = this.#now()): void {
    // Most first attempts fall in the second of the one before: a range check instead of a division and
    // a floating-point modulo per record (unless a retry has since given that bucket to a later second).
    if (
      at < this.#currentFrom ||
      at >= this.#currentTo ||
      this.#bucketSecond[this.#currentIndex] !== this.#currentSecond
    ) {
      const second = Math.floor(at / 1_000);
      this.#currentIndex = this.#bucket(second);
      this.#currentSecond = second;
      this.#currentFrom = second * 1_000;
      this.#currentTo = this.#currentFrom + 1_000;
    }
    const index = this.#currentIndex;
    this.#firstAttempts[index] = (this.#firstAttempts[index] as number) + 1;
  }

  /** Spends one retry when the window allows it; false (nothing spent) when the budget is used up. */
  tryRetry(): boolean {
    const second = Math.floor(this.#now() / 1_000);
    const { firstAttempts, retries } = this.#totals(second);
    if (retries + 1 > this.#ratio * firstAttempts + this.#reserve) return false;
    const index = this.#bucket(second);
    this.#retries[index] = (this.#retries[index] as number) + 1;
    return true;
  }

  /** Retries still allowed right now (whole retries). */
  available(): number {
    const { firstAttempts, retries } = this.#totals(Math.floor(this.#now() / 1_000));
    return Math.max(0, Math.floor(this.#ratio * firstAttempts + this.#reserve - retries));
  }

  #bucket(second: number): number {
    const index = second % this.#windowSeconds;
    if (this.#bucketSecond[index] !== second) {
      this.#bucketSecond[index] = second;
      this.#firstAttempts[index] = 0;
      this.#retries[index] = 0;
    }
    return index;
  }

  #totals(second: number): { firstAttempts: number; retries: number } {
    let firstAttempts = 0;
    let retries = 0;
    for (let index = 0; index < this.#windowSeconds; index += 1) {
      if ((this.#bucketSecond[index] as number) > second - this.#windowSeconds) {
        firstAttempts += this.#firstAttempts[index] as number;
        retries += this.#retries[index] as number;
      }
    }
    return { firstAttempts, retries };
  }
}
