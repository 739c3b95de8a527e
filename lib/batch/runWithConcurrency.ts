/**
 * Runs `work` over `items` with at most `limit` in flight, starting no new item once `stop()` is true.
 * Items are taken in order, so with a limit of 1 this is a plain in-order loop. Resolves once every
 * started item has finished; rejects with the first rejection (items in flight still run to the end).
 *
 * Written as a counter and a completion callback rather than one async function per lane: for a
 * default 10-record batch, creating the lanes and joining them with Promise.all cost about 15% of the
 * whole batch in the issue-2 benchmark.
 */
export function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean,
): Promise<void> {
  const lanes = Math.min(limit, items.length);
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let running = 0;
    const startMore = (): void => {
      while (running < lanes && next < items.length && !stop()) {
        const item = items[next] as T;
        next += 1;
        running += 1;
        work(item).then(finished, reject);
      }
      if (running === 0) resolve();
    };
    const finished = (): void => {
      running -= 1;
      startMore();
    };
    startMore();
  });
}
