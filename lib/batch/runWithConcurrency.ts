/**
 * Runs `work` over `items` with at most `limit` in flight, starting no new item once `stop()` is true.
 * Items are taken in order, so with a limit of 1 this is a plain in-order loop.
 */
export async function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  const lanes = Math.min(limit, items.length);
  if (lanes === 1) return lane();
  await Promise.all(Array.from({ length: lanes }, lane));
}
