/**
 * Called once when an item that was still in flight has finished; `freedAt` is the clock read that
 * finished it, if the item read one in this turn.
 */
export type WorkDone = (freedAt?: number) => void;

/**
 * Work on one item: returns false when it finished synchronously, or true and calls `done` later.
 * `freedAt` is when its lane came free, if that was read in this same turn (see processRecord.ts).
 */
export type ConcurrentWork<T> = (item: T, done: WorkDone, freedAt: number | undefined) => boolean;

/**
 * Runs `work` over `items` with at most `limit` in flight, starting no new item once `stop()` is true.
 * Items are taken in order, so with a limit of 1 this is a plain in-order loop. Resolves once every
 * started item has finished.
 *
 * Written as a counter and completion callbacks rather than one async function per lane or a promise per
 * item: for a default 10-record batch, lanes joined with Promise.all and a `.then` per item were a
 * measurable share of the whole batch in the issue-2 benchmark. Work that finishes synchronously frees its
 * lane at once, without any promise.
 */
export function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  work: ConcurrentWork<T>,
  stop: () => boolean,
): Promise<void> {
  const lanes = Math.min(limit, items.length);
  return new Promise<void>((resolve) => {
    let next = 0;
    let running = 0;
    const finished: WorkDone = (freedAt) => {
      running -= 1;
      startMore(freedAt);
    };
    const startMore = (freedAt?: number): void => {
      while (running < lanes && next < items.length && !stop()) {
        const item = items[next] as T;
        next += 1;
        running += 1;
        // One finish frees one lane: its time goes to the one item that lane takes up next.
        const pending = work(item, finished, freedAt);
        freedAt = undefined;
        if (!pending) running -= 1;
      }
      if (running === 0) resolve();
    };
    startMore();
  });
}
