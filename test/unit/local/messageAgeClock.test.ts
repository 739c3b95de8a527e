import { describe, expect, it } from 'vitest';
import { MessageAgeClock } from '../../../local/alarms/messageAgeClock.js';

type State = Parameters<MessageAgeClock['tick']>[0];

const message = (messageId: string, sentTimestamp: number) =>
  ({ messageId, sentTimestamp }) as NonNullable<State>['messages']['ready'][number];

const queue = (parts: { ready?: string[]; delayed?: string[]; inflight?: string[] }, sentAt = 0): State =>
  ({
    messages: {
      ready: (parts.ready ?? []).map((id) => message(id, sentAt)),
      delayed: (parts.delayed ?? []).map((id) => message(id, sentAt)),
      inflight: (parts.inflight ?? []).map((id) => ({
        message: message(id, sentAt),
        receiptHandle: id,
        visibilityDeadline: 0,
      })),
    },
  }) as State;

describe('MessageAgeClock', () => {
  it('counts time in an invocation and time waiting for a consumer once, as it passes on AWS too', () => {
    const clock = new MessageAgeClock(60);
    clock.tick(queue({ ready: ['m'] }), new Map(), true, 0);
    clock.tick(queue({ inflight: ['m'] }), new Map([['m', 10_000]]), true, 10_000);
    // 30 s in a slow invocation: 40 s old, not 30 minutes.
    expect(clock.tick(queue({ inflight: ['m'] }), new Map([['m', 10_000]]), true, 40_000)).toBe(40);
  });

  it('counts a backoff, a delay and a paused consumer time-scale-fold, since those waits are compressed', () => {
    const clock = new MessageAgeClock(60);
    clock.tick(
      queue({ inflight: ['backoff'], delayed: ['delayed'], ready: ['paused'] }),
      new Map(),
      false,
      0,
    );
    // 2 s of each here is 2 min on AWS.
    expect(
      clock.tick(
        queue({ inflight: ['backoff'], delayed: ['delayed'], ready: ['paused'] }),
        new Map(),
        false,
        2_000,
      ),
    ).toBe(120);
    // Resumed, the paused message waits for a consumer at the real pace again.
    expect(clock.tick(queue({ ready: ['paused'] }), new Map(), true, 3_000)).toBe(121);
  });

  it('starts a message it has not seen at its real age, and forgets messages that left the queue', () => {
    const clock = new MessageAgeClock(60);
    expect(clock.tick(queue({ ready: ['m'] }, 1_000), new Map(), true, 4_000)).toBe(3);
    expect(clock.tick(queue({}), new Map(), true, 5_000)).toBe(0);
  });
});
