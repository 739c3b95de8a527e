import { describe, expect, it } from 'vitest';
import {
  decodeRedriveState,
  encodeRedriveState,
  INITIAL_REDRIVE_STATE,
  type RedriveState,
} from '../../../lib/redriveFunction/redriveState.js';

/** The characters every AWS tag value may hold (the strictest services' rule). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

describe('redrive state in a DLQ tag', () => {
  const state: RedriveState = {
    lastRunAt: 1_795_552_984_000,
    windowStartedAt: 1_795_549_384_000,
    redriven: 1_234,
    returned: 56,
    openUntil: 1_795_556_584_000,
    draining: true,
  };

  it('round-trips', () => {
    expect(decodeRedriveState(encodeRedriveState(state))).toEqual(state);
  });

  it('fits a tag value: 256 characters at most, of the allowed set', () => {
    const largest = encodeRedriveState({
      ...state,
      redriven: Number.MAX_SAFE_INTEGER,
      returned: Number.MAX_SAFE_INTEGER,
    });
    expect(largest.length).toBeLessThanOrEqual(256);
    expect(largest).toMatch(TAG_VALUE);
  });

  it('falls back to the initial state for a missing or damaged tag', () => {
    expect(decodeRedriveState(undefined)).toEqual(INITIAL_REDRIVE_STATE);
    expect(decodeRedriveState('garbage')).toEqual(INITIAL_REDRIVE_STATE);
    expect(decodeRedriveState('v=1 last=abc redriven=-4 returned=2')).toEqual({
      ...INITIAL_REDRIVE_STATE,
      returned: 2,
    });
  });
});
