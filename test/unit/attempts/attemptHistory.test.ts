import { describe, expect, it } from 'vitest';
import {
  freshHistory,
  HISTORY_ENDS,
  MAX_HISTORY_ENTRIES,
  notAttemptedTotal,
  withAttempt,
  withNotAttempted,
} from '../../../lib/attempts/attemptHistory.js';
import { parseAttemptHistory } from '../../../lib/attempts/parseAttemptHistory.js';
import { attemptEntry } from '../../helpers/attemptHistories.js';

describe('attempt history', () => {
  it('keeps every attempt up to the cap, then the first and the last ones, counting the rest', () => {
    let history = freshHistory('m-1', Date.parse('2026-11-24T20:00:00Z'));
    for (let n = 1; n <= 35; n += 1) history = withAttempt(history, attemptEntry({ invocation: `inv-${n}` }));
    expect(history.attempts).toBe(35);
    expect(history.entries).toHaveLength(MAX_HISTORY_ENTRIES);
    expect(history.omittedEntries).toBe(35 - MAX_HISTORY_ENTRIES);
    expect(history.entries.map((entry) => entry.invocation)).toEqual([
      ...Array.from({ length: HISTORY_ENDS }, (_, index) => `inv-${index + 1}`),
      ...Array.from({ length: HISTORY_ENDS }, (_, index) => `inv-${35 - HISTORY_ENDS + index + 1}`),
    ]);
    expect(parseAttemptHistory(JSON.stringify(history))).toEqual({ ok: true, history });
  });

  it('counts receives that were not attempts by why, apart from the attempts', () => {
    let history = freshHistory('m-1', 0);
    history = withNotAttempted(history, 'skipped', 3);
    history = withNotAttempted(history, 'unreported');
    history = withNotAttempted(history, 'held', 0);
    expect(history.attempts).toBe(0);
    expect(history.notAttempted).toEqual({
      skipped: 3,
      released: 0,
      held: 0,
      duplicate: 0,
      deferred: 0,
      unreported: 1,
    });
    expect(notAttemptedTotal(history)).toBe(4);
  });

  it('takes a send time that is not a time as now: a malformed record is never made older', () => {
    const before = Date.now();
    expect(Date.parse(freshHistory('m-1', undefined).firstSentAt)).toBeGreaterThanOrEqual(before);
  });
});
