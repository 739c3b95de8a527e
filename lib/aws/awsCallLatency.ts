/**
 * How long this container's AWS calls have been taking to answer: a moving average over the requests it
 * made, cut ones counted at the time they were given. One per handler (created with its options), so a
 * container learns from its own calls and nothing leaks between handlers.
 *
 * It decides whether a request that creates messages (a dead letter, a copy) is worth starting: one cut
 * at the deadline may still have been carried out, and the record, reported failed, would then be sent
 * again on its next receive, a duplicate. A send the time left cannot cover is better not started.
 */
export class AwsCallLatency {
  /** Weight of the newest request: recent calls count most, one slow answer fades within a few calls. */
  static readonly #NEWEST_WEIGHT = 0.3;
  #averageMs = 0;

  /** Adds one request's time to answer (or to be cut). */
  record(durationMs: number): void {
    this.#averageMs =
      this.#averageMs === 0
        ? durationMs
        : this.#averageMs + AwsCallLatency.#NEWEST_WEIGHT * (durationMs - this.#averageMs);
  }

  /** The time a request is expected to take; 0 before the first. */
  get expectedMs(): number {
    return this.#averageMs;
  }
}
