import { describe, expect, it } from 'vitest';
import {
  redeliveryWaitSeconds,
  resolveRedeliveryBackoff,
} from '../../../lib/setupRules/redeliveryBackoff.js';
import {
  describeRetryHorizon,
  receiveCountRetryHorizon,
  retryHorizon,
} from '../../../lib/setupRules/retryHorizon.js';
import { formatDuration } from '../../../lib/time/formatDuration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [7_530, '2 h 5 min 30 s'],
    [86_400, '1 day'],
    [4 * 86_400 + 3_600, '4 days 1 h'],
    [0.2, '1 s'],
  ])('%d s reads %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('redelivery backoff', () => {
  it('completes a partial exponential backoff with the defaults', () => {
    expect(resolveRedeliveryBackoff(undefined)).toEqual({ baseSeconds: 30, maxSeconds: 900, multiplier: 2 });
    expect(resolveRedeliveryBackoff({ multiplier: 3 })).toEqual({
      baseSeconds: 30,
      maxSeconds: 900,
      multiplier: 3,
    });
    expect(resolveRedeliveryBackoff({ scheduleSeconds: [1, 2] })).toEqual({ scheduleSeconds: [1, 2] });
  });

  it('waits t_k after the k-th failed receive, the last entry repeating', () => {
    const backoff = { scheduleSeconds: [10, 60, 300] };
    expect([1, 2, 3, 4, 5].map((k) => redeliveryWaitSeconds(backoff, k))).toEqual([10, 60, 300, 300, 300]);
  });

  it('caps the exponential ceiling at maxSeconds', () => {
    const backoff = { baseSeconds: 30, maxSeconds: 200, multiplier: 2 };
    expect([1, 2, 3, 4].map((k) => redeliveryWaitSeconds(backoff, k))).toEqual([30, 60, 120, 200]);
  });
});

describe('retryHorizon', () => {
  it("adds the delay, the A - 1 waits, the unreported receive's visibility and the receives of timeout + window", () => {
    // Prepare: schedule t_1..t_3, so the runtime dead-letters on attempt A = 4, with one receive unreported
    const input = {
      deliveryDelaySeconds: 30,
      redeliveryBackoff: { scheduleSeconds: [10, 60, 300] },
      maxAttempts: 4,
      waitRounds: 1,
      receives: 5,
      unreportedReceives: 1,
      visibilityTimeoutSeconds: 390,
      functionTimeoutSeconds: 60,
      maxBatchingWindowSeconds: 5,
    };

    // Act
    const horizon = retryHorizon(input);

    // Assess: 30 + (10 + 60 + 300) + 1 × 390 + 5 × 65
    expect(horizon).toEqual({
      totalSeconds: 1_115,
      deliveryDelaySeconds: 30,
      waitsSeconds: [10, 60, 300],
      reserveWaitSeconds: 390,
      receives: 5,
      receiveSeconds: 65,
    });
    expect(describeRetryHorizon(horizon)).toBe(
      'T_total = 18 min 35 s (delivery delay 30 s + 3 redelivery waits 6 min 10 s + reserve visibility 6 min 30 s + ' +
        '5 receives × 1 min 5 s)',
    );
  });

  it('on a FIFO queue, waits through the attempts of the messages ahead in the batch too', () => {
    const horizon = retryHorizon({
      deliveryDelaySeconds: 0,
      redeliveryBackoff: { scheduleSeconds: [10, 60] },
      maxAttempts: 3,
      waitRounds: 10,
      receives: 43,
      unreportedReceives: 4,
      visibilityTimeoutSeconds: 180,
      functionTimeoutSeconds: 30,
      maxBatchingWindowSeconds: 0,
    });
    expect(horizon.waitsSeconds).toHaveLength(20);
    expect(horizon.totalSeconds).toBe(10 * 70 + 4 * 180 + 43 * 30);
  });

  it('counts a single receive with no wait when one attempt is all there is', () => {
    const horizon = retryHorizon({
      deliveryDelaySeconds: 0,
      redeliveryBackoff: { scheduleSeconds: [600] },
      maxAttempts: 1,
      waitRounds: 1,
      receives: 1,
      unreportedReceives: 0,
      visibilityTimeoutSeconds: 180,
      functionTimeoutSeconds: 30,
      maxBatchingWindowSeconds: 0,
    });
    expect(horizon.totalSeconds).toBe(30);
  });

  it('bounds the retries of a consumer that does not count attempts by SQS receive count', () => {
    const common = {
      maxReceiveCount: 5,
      deliveryDelaySeconds: 10,
      visibilityTimeoutSeconds: 180,
      functionTimeoutSeconds: 30,
      maxBatchingWindowSeconds: 2,
    };
    // Each failed receive waits out what the visibility timeout leaves after the invocation.
    expect(receiveCountRetryHorizon(common).totalSeconds).toBe(10 + 4 * 150 + 5 * 32);
    // A backoff the runtime sets replaces those waits.
    expect(
      receiveCountRetryHorizon({ ...common, redeliveryBackoff: { scheduleSeconds: [60] } }).totalSeconds,
    ).toBe(10 + 4 * 60 + 5 * 32);
  });
});
