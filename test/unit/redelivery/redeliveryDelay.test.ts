import { describe, expect, it } from 'vitest';
import { MAX_BATCHING_WINDOW_SECONDS, MAX_VISIBILITY_SECONDS } from '../../../lib/aws/serviceLimits.js';
import { clampVisibility, redeliveryDelaySeconds } from '../../../lib/redelivery/redeliveryDelay.js';

describe('redelivery delay by receive count', () => {
  it.each([
    [1, 10],
    [2, 60],
    [3, 300],
    [4, 300],
    [9, 300],
  ])('schedule t_1..t_n: receive %i waits %i s (the last entry repeats)', (receiveCount, expected) => {
    expect(redeliveryDelaySeconds(receiveCount, { scheduleSeconds: [10, 60, 300] })).toBe(expected);
  });

  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [6, 900],
    [20, 900],
  ])('exponential full jitter: receive %i draws from [0, %i]', (receiveCount, ceiling) => {
    const config = { baseSeconds: 30, maxSeconds: 900, multiplier: 2 };
    expect(redeliveryDelaySeconds(receiveCount, config, () => 0)).toBe(0);
    expect(redeliveryDelaySeconds(receiveCount, config, () => 0.999_999)).toBe(ceiling - 1);
  });

  it('keeps a delay inside the 12 hours SQS allows from the receive', () => {
    const started = 1_000_000;
    expect(clampVisibility(60, started, started)).toBe(60);
    expect(clampVisibility(50_000, started, started)).toBe(
      MAX_VISIBILITY_SECONDS - MAX_BATCHING_WINDOW_SECONDS,
    );
    expect(clampVisibility(43_200, started, started + 100_000)).toBe(43_200 - 300 - 100);
  });
});
