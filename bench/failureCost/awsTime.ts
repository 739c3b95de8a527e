import type { Delivery } from './runRecord.js';

/**
 * Seconds of AWS time from a message's first receive to the moment its work succeeded, from its deliveries
 * on the local runtime, where waiting runs `timeScale` times faster than processing:
 * - from one delivery to the next, the time is multiplied by the time scale. The queue's timer that brings
 *   a message back runs in compressed time, and for a visibility timeout it starts at the receive, while
 *   the invocation (and a slow local cold start) runs: so the whole span from receive to receive is
 *   queue time. Where a backoff starts at the end of the invocation instead, the invocation's own time is
 *   overstated by the scale (tens of ms become a second at 20x), against the stack that sets backoffs;
 * - within the delivery that succeeded, the time counts once: retries inside an invocation run at real
 *   speed.
 * Undefined when no delivery started before the success.
 */
export function awsSecondsToSuccess(
  deliveries: readonly Delivery[],
  successAt: number,
  timeScale: number,
): number | undefined {
  const starts = deliveries
    .map((delivery) => delivery.start)
    .filter((start) => start <= successAt)
    .sort((a, b) => a - b);
  const first = starts[0];
  const last = starts.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return ((last - first) * timeScale + (successAt - last)) / 1_000;
}
