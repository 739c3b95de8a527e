import type { FauxqsServer } from 'fauxqs';

type QueueState = NonNullable<ReturnType<FauxqsServer['inspectQueue']>>;

/**
 * The age of a consumed queue's messages as AWS would report it (ApproximateAgeOfOldestMessage), in a run
 * whose waits are compressed. Time a message spends waiting out a delay or a redelivery backoff, or
 * waiting while its consumer is paused, passes `timeScale` times faster here than on AWS, so it counts
 * `timeScale`-fold; time it waits for a free consumer or spends in an invocation runs at the real pace and
 * counts once. (Counting every second `timeScale`-fold made a 30 s invocation look like a 30-minute wait
 * and fired the oldest-message alarm, and with it the consumer-health alarm, in the default demo.)
 */
export class MessageAgeClock {
  readonly #ages = new Map<string, { ageMs: number; seenAt: number }>();

  constructor(private readonly timeScale: number) {}

  /**
   * Advances every message in the queue to `now` and returns the oldest age in AWS seconds (0 when empty).
   * `inTurn`: messages the event source mapping holds in a turn; `consuming`: the mapping is enabled.
   */
  tick(
    state: QueueState | undefined,
    inTurn: ReadonlyMap<string, number>,
    consuming: boolean,
    now: number,
  ): number {
    const seen = new Set<string>();
    let oldestMs = 0;
    const advance = (messageId: string, sentAt: number, compressed: boolean) => {
      seen.add(messageId);
      const known = this.#ages.get(messageId);
      const weight = compressed ? this.timeScale : 1;
      const ageMs =
        known === undefined ? Math.max(0, now - sentAt) : known.ageMs + (now - known.seenAt) * weight;
      this.#ages.set(messageId, { ageMs, seenAt: now });
      oldestMs = Math.max(oldestMs, ageMs);
    };
    for (const message of state?.messages.ready ?? [])
      advance(message.messageId, message.sentTimestamp, !consuming);
    for (const message of state?.messages.delayed ?? [])
      advance(message.messageId, message.sentTimestamp, true);
    for (const { message } of state?.messages.inflight ?? []) {
      advance(message.messageId, message.sentTimestamp, !inTurn.has(message.messageId));
    }
    for (const messageId of this.#ages.keys()) if (!seen.has(messageId)) this.#ages.delete(messageId);
    return oldestMs / 1_000;
  }
}
