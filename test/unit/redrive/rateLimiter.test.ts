import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rateLimiter } from '../../../lib/redrive/rateLimiter.js';

describe('rateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const running = () => new AbortController().signal;

  it('without a rate, grants everything at once', async () => {
    expect(await rateLimiter(undefined).take(10, running())).toBe(10);
  });

  it('starts with at most one receive (10) or one second worth of permits', async () => {
    expect(await rateLimiter(100).take(10, running())).toBe(10);
    expect(await rateLimiter(4).take(10, running())).toBe(4);
  });

  it('hands out permits at the rate once the bucket is empty', async () => {
    const limiter = rateLimiter(20);
    const signal = running();
    let granted = 0;
    const taking = (async () => {
      while (granted < 70) granted += await limiter.take(10, signal);
    })();
    await vi.advanceTimersByTimeAsync(1_000);
    // 10 at once, then 20 per second.
    expect(granted).toBeGreaterThanOrEqual(29);
    expect(granted).toBeLessThanOrEqual(31);
    await vi.advanceTimersByTimeAsync(2_000);
    await taking;
    expect(granted).toBe(70);
    expect(Date.now()).toBeGreaterThanOrEqual(3_000);
  });

  it('takes back permits that were not used', async () => {
    const limiter = rateLimiter(10);
    const signal = running();
    expect(await limiter.take(10, signal)).toBe(10);
    limiter.giveBack(6);
    expect(await limiter.take(10, signal)).toBe(6);
  });

  it('serves waiters in order and stops granting once aborted', async () => {
    const limiter = rateLimiter(1);
    const controller = new AbortController();
    expect(await limiter.take(5, controller.signal)).toBe(1);
    const waiting = limiter.take(5, controller.signal);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(await waiting).toBe(0);
  });
});
