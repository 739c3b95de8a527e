import { describe, expect, it } from 'vitest';
import { ConcurrentDeliveries } from '../../../bench/failureCost/concurrentDeliveries.js';

/**
 * The failure-cost suite refuses a run in which a message was handed out again while still in an
 * invocation, and only such a run: a batch held past the visibility timeout with no message received
 * again meanwhile (a slow cold start) is a valid run.
 */
describe('concurrent deliveries', () => {
  it.each([
    [
      'a redelivery after the batch ended',
      [
        ['a', 0, 100],
        ['a', 200, 300],
      ],
      0,
    ],
    [
      'a redelivery as the batch ends',
      [
        ['a', 0, 100],
        ['a', 100, 150],
      ],
      0,
    ],
    [
      'other messages during a long batch',
      [
        ['a', 0, 10_000],
        ['b', 500, 600],
      ],
      0,
    ],
    [
      'the same message while its batch runs',
      [
        ['a', 0, 10_000],
        ['a', 9_000, 9_100],
      ],
      1,
    ],
    [
      'a third delivery inside the first, after a short second',
      [
        ['a', 0, 10_000],
        ['a', 9_000, 9_100],
        ['a', 9_500, 9_600],
      ],
      2,
    ],
  ] as const)('%s', (_, batches, expected) => {
    // Prepare
    const deliveries = new ConcurrentDeliveries();

    // Act
    for (const [id, startedAt, finishedAt] of batches) deliveries.add([id], startedAt, finishedAt);

    // Assess
    expect(deliveries.count).toBe(expected);
  });
});
