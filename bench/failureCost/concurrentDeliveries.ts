/**
 * Counts deliveries of a message that start while an earlier delivery of the same message is still in an
 * invocation: SQS handed it out twice at once, because its batch was held past the visibility timeout.
 * A run with any is distorted (its counts include work done twice in parallel), so the suite refuses it;
 * a batch merely held that long, with no message received again meanwhile, distorts nothing.
 */
export class ConcurrentDeliveries {
  /** When each message's last delivery ended, by SQS message id. */
  readonly #deliveredUntil = new Map<string, number>();
  #count = 0;

  /** Notes one batch's deliveries, in real epoch ms. */
  add(messageIds: readonly string[], startedAt: number, finishedAt: number): void {
    for (const id of messageIds) {
      if ((this.#deliveredUntil.get(id) ?? Number.NEGATIVE_INFINITY) > startedAt) this.#count += 1;
      this.#deliveredUntil.set(id, Math.max(finishedAt, this.#deliveredUntil.get(id) ?? finishedAt));
    }
  }

  get count(): number {
    return this.#count;
  }
}
