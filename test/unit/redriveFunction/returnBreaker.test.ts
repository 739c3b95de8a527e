import { describe, expect, it } from 'vitest';
import { INITIAL_REDRIVE_STATE, type RedriveState } from '../../../lib/redriveFunction/redriveState.js';
import { afterRun, breakerTrips, currentWindow, isOpen } from '../../../lib/redriveFunction/returnBreaker.js';

const config = { returnThreshold: 0.5, windowSeconds: 3_600, minRedriven: 10, openSeconds: 600 };
const HOUR = 3_600_000;

describe('redrive return breaker', () => {
  it('opens when the returns reach the threshold of what was redriven before', () => {
    const before: RedriveState = {
      ...INITIAL_REDRIVE_STATE,
      windowStartedAt: 1,
      redriven: 100,
      returned: 20,
    };
    expect(breakerTrips(before, 29, config)).toBe(false);
    expect(breakerTrips(before, 30, config)).toBe(true);
    const after = afterRun(before, { redriven: 40, returned: 30 }, config, 5_000);
    expect(after).toMatchObject({
      redriven: 140,
      returned: 50,
      openUntil: 5_000 + 600_000,
      lastRunAt: 5_000,
    });
    expect(isOpen(after, 5_001)).toBe(true);
  });

  it('does not trust the ratio below minRedriven', () => {
    const before: RedriveState = { ...INITIAL_REDRIVE_STATE, windowStartedAt: 1, redriven: 9 };
    expect(breakerTrips(before, 9, config)).toBe(false);
  });

  it('starts a window on the first run and resets it when it ran out', () => {
    const first = afterRun(INITIAL_REDRIVE_STATE, { redriven: 12, returned: 0 }, config, 1_000);
    expect(first).toMatchObject({ windowStartedAt: 1_000, redriven: 12 });
    expect(currentWindow(first, config, 1_000 + HOUR - 1)).toBe(first);
    expect(currentWindow(first, config, 1_000 + HOUR)).toMatchObject({
      windowStartedAt: 0,
      redriven: 0,
      returned: 0,
    });
  });

  it('closes an open breaker once its time passed, with a fresh window', () => {
    const open: RedriveState = {
      ...INITIAL_REDRIVE_STATE,
      windowStartedAt: 1_000,
      redriven: 50,
      returned: 40,
      openUntil: 9_000,
    };
    expect(currentWindow(open, config, 8_999)).toBe(open);
    expect(currentWindow(open, config, 9_000)).toMatchObject({ openUntil: 0, redriven: 0, returned: 0 });
  });
});
