import { plural } from '../../cli/support/plural.js';
import type { RunSample, RunSubject } from './runSample.js';

/** One thing the run waits for, with a kind so a display can tell a new wait from the same one going on. */
export interface Wait {
  readonly kind:
    | 'breaker-open'
    | 'breaker-probing'
    | 'backoff'
    | 'long-invocations'
    | 'redrive-cooldown'
    | 'redrive-health';
  readonly text: string;
}

/** Invocations running longer than this are worth a word: a batch usually takes well under a second. */
const LONG_INVOCATION_MS = 5_000;

/**
 * What keeps the run from finishing, in words: a stalled progress bar says why it stalls (messages in
 * backoff until a time, the consumer paused by the circuit breaker, long invocations, dead letters waiting
 * for the redrive's cool-down or for the health alarm). Empty when nothing holds the run up.
 *
 * @example
 * waitingFor(sample, subject) // [{ kind: 'backoff', text: '28 messages in backoff until 17:20:41 (12 s)' }]
 */
export function waitingFor(sample: RunSample, subject: RunSubject): Wait[] {
  const waits: Wait[] = [];
  const at = (epochMs: number) =>
    `${clock(epochMs)} (${Math.max(0, Math.ceil((epochMs - sample.at) / 1_000))} s)`;
  if (sample.breaker === 'open') {
    const probe =
      subject.breakerProbeEveryMs === undefined
        ? ''
        : `; it probes every ${seconds(subject.breakerProbeEveryMs)}`;
    waits.push({
      kind: 'breaker-open',
      text: `the circuit breaker paused the consumer (${plural(sample.visible, 'message')} wait in the queue)${probe}`,
    });
  } else if (sample.breaker === 'half-open') {
    waits.push({ kind: 'breaker-probing', text: 'the circuit breaker is probing at low concurrency' });
  }
  if (sample.inBackoff > 0 && sample.backoffUntil !== undefined) {
    const from = sample.backoffFrom ?? sample.backoffUntil;
    const span =
      sample.backoffUntil - from > 1_000
        ? `back from ${clock(from)} until ${at(sample.backoffUntil)}`
        : `until ${at(sample.backoffUntil)}`;
    waits.push({ kind: 'backoff', text: `${plural(sample.inBackoff, 'message')} in backoff, ${span}` });
  }
  if (sample.invocationsRunning > 0 && sample.longestInvocationMs >= LONG_INVOCATION_MS) {
    waits.push({
      kind: 'long-invocations',
      text: `${plural(sample.inFlight, 'message')} in invocations running for up to ${seconds(sample.longestInvocationMs)} (a slow record holds its batch until the time budget)`,
    });
  }
  if (sample.deadLetterDepth > 0) {
    const health = subject.healthAlarm === undefined ? undefined : sample.alarms[subject.healthAlarm];
    if (health === 'ALARM') {
      waits.push({
        kind: 'redrive-health',
        text: `${plural(sample.deadLetterDepth, 'dead letter')} wait for ${subject.healthAlarm} to return to OK before a redrive`,
      });
    } else if (sample.redriveCooldownUntil !== undefined) {
      waits.push({
        kind: 'redrive-cooldown',
        text: `${plural(sample.deadLetterDepth, 'dead letter')} wait for the redrive cool-down until ${at(sample.redriveCooldownUntil)}`,
      });
    }
  }
  return waits;
}

/** `17:20:41`, local time. */
export function clock(epochMs: number): string {
  return new Date(epochMs).toTimeString().slice(0, 8);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1_000)} s`;
}
