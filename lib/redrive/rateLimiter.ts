import { sleep } from '../time/sleep.js';

/** Hands out permits to move messages, at most `ratePerSecond` on average. */
export interface RateLimiter {
  /**
   * Waits until at least one permit is free and takes up to `wanted` of them; resolves 0 only when
   * `signal` aborts first. Callers take permits before they receive, so a received message never waits.
   */
  take(wanted: number, signal: AbortSignal): Promise<number>;
  /** Returns permits that were taken but not used (fewer messages received than asked for). */
  giveBack(permits: number): void;
}

const UNLIMITED: RateLimiter = {
  take: async (wanted, signal) => (signal.aborted ? 0 : wanted),
  giveBack: () => {},
};

/**
 * A token bucket refilled continuously. It holds at most one receive's worth (10) or one second's worth,
 * whichever is smaller, so a run never starts with a burst above the rate. Waiters are served in order,
 * so concurrent loops share the rate fairly.
 */
export function rateLimiter(ratePerSecond: number | undefined, now: () => number = Date.now): RateLimiter {
  if (ratePerSecond === undefined) return UNLIMITED;
  const capacity = Math.max(1, Math.min(10, ratePerSecond));
  let tokens = capacity;
  let refilledAt = now();
  let queue: Promise<unknown> = Promise.resolve();

  const refill = () => {
    const at = now();
    tokens = Math.min(capacity, tokens + ((at - refilledAt) / 1_000) * ratePerSecond);
    refilledAt = at;
  };

  return {
    take(wanted, signal) {
      const turn = queue.then(async () => {
        refill();
        while (tokens < 1) {
          if (signal.aborted) return 0;
          await sleep(Math.ceil(((1 - tokens) / ratePerSecond) * 1_000), signal);
          refill();
        }
        if (signal.aborted) return 0;
        const granted = Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return granted;
      });
      queue = turn;
      return turn;
    },
    giveBack(permits) {
      refill();
      tokens = Math.min(capacity, tokens + permits);
    },
  };
}
