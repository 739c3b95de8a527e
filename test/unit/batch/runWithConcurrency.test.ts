import { describe, expect, it } from 'vitest';
import { runWithConcurrency } from '../../../lib/batch/runWithConcurrency.js';

/** Work whose completion the test controls: each item waits until `release(item)` is called. */
function controlledWork() {
  const started: number[] = [];
  const finished: number[] = [];
  const releases = new Map<number, () => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  const work = (item: number, done: () => void) => {
    started.push(item);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    releases.set(item, () => {
      inFlight -= 1;
      finished.push(item);
      done();
    });
    return true;
  };
  const release = async (item: number) => {
    releases.get(item)?.();
    // Let the runner react (it starts the next item one microtask turn later).
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { work, release, started, finished, maxInFlight: () => maxInFlight };
}

describe('runWithConcurrency', () => {
  it('starts items in order, never more than the limit at once', async () => {
    // Prepare
    const { work, release, started, maxInFlight } = controlledWork();
    // Act
    const done = runWithConcurrency([1, 2, 3, 4, 5], 2, work, () => false);
    // Assess
    expect(started).toEqual([1, 2]);
    await release(2);
    expect(started).toEqual([1, 2, 3]);
    await release(1);
    expect(started).toEqual([1, 2, 3, 4]);
    await release(3);
    await release(4);
    await release(5);
    await done;
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(maxInFlight()).toBe(2);
  });

  it('runs every item at once when the limit allows', async () => {
    const { work, release, started } = controlledWork();
    const done = runWithConcurrency([1, 2, 3], 10, work, () => false);
    expect(started).toEqual([1, 2, 3]);
    for (const item of [3, 1, 2]) await release(item);
    await expect(done).resolves.toBeUndefined();
  });

  it('starts nothing new once stop() is true, and resolves after the items in flight finish', async () => {
    // Prepare
    const { work, release, started, finished } = controlledWork();
    let stopped = false;
    let resolved = false;
    // Act
    const done = runWithConcurrency([1, 2, 3, 4], 2, work, () => stopped).then(() => {
      resolved = true;
    });
    stopped = true;
    await release(1);
    // Assess
    expect(started).toEqual([1, 2]);
    expect(resolved).toBe(false);
    await release(2);
    await done;
    expect(finished).toEqual([1, 2]);
  });

  it('resolves at once for no items or when stopped before starting', async () => {
    const { work, started } = controlledWork();
    await expect(runWithConcurrency([], 10, work, () => false)).resolves.toBeUndefined();
    await expect(runWithConcurrency([1, 2], 10, work, () => true)).resolves.toBeUndefined();
    expect(started).toEqual([]);
  });

  it('frees the lane of work that finished synchronously at once', async () => {
    const { work, release, started } = controlledWork();
    const finishedAtOnce: number[] = [];
    const done = runWithConcurrency(
      [1, 2, 3, 4],
      2,
      (item, finish) => {
        if (item % 2 === 1) {
          finishedAtOnce.push(item);
          return false;
        }
        return work(item, finish);
      },
      () => false,
    );
    expect(finishedAtOnce).toEqual([1, 3]);
    expect(started).toEqual([2, 4]);
    await release(2);
    await release(4);
    await expect(done).resolves.toBeUndefined();
  });
});
