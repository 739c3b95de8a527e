import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressDisplay } from '../../../local/report/progressDisplay.js';
import { waitingFor } from '../../../local/report/waitingFor.js';
import { RUN_SUBJECT, runSample } from '../../helpers/runSamples.js';

const T0 = Date.parse('2026-11-24T10:00:00Z');

describe('ProgressDisplay without a terminal', () => {
  it('never prints the same line twice, and says once what a stalled run waits for (tried: seven "970/1000 done" lines)', () => {
    // Prepare: 970 of 1000 done, then nothing for 30 s while 30 messages sit in backoff.
    const lines: string[] = [];
    const display = new ProgressDisplay(1_000, { write: (line) => lines.push(line), interactive: false });

    // Act
    for (let second = 0; second <= 30; second += 1) {
      const sample = runSample({
        at: T0 + second * 1_000,
        totals: { processed: 966, deadLettered: 4, retried: 64 },
        inBackoff: 30,
        backoffFrom: T0 + 31_000,
        backoffUntil: T0 + 40_000,
      });
      display.update(sample, waitingFor(sample, RUN_SUBJECT));
    }
    display.stop();

    // Assess
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^ {2}970\/1000 done: 966 processed, 64 retried, 4 in the DLQ, 0 redriven, \d+ msg\/s$/,
    );
    expect(lines[1]).toMatch(
      /^ {2}waiting: 30 messages in backoff, back from \d\d:\d\d:\d\d until \d\d:\d\d:\d\d \(\d+ s\)$/,
    );
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('reports a new wait when the reason changes, and figures again when they move', () => {
    const lines: string[] = [];
    const display = new ProgressDisplay(10, { write: (line) => lines.push(line), interactive: false });
    const paused = runSample({ at: T0 + 3_000, breaker: 'open', visible: 10 });
    display.update(runSample({ at: T0 }), []);
    display.update(paused, waitingFor(paused, RUN_SUBJECT));
    display.update(runSample({ at: T0 + 9_000, totals: { processed: 10 } }), []);
    expect(lines).toEqual([
      '  0/10 done: 0 processed, 0 retried, 0 in the DLQ, 0 redriven, 0 msg/s',
      '  waiting: the circuit breaker paused the consumer (10 messages wait in the queue); it probes every 5 s',
      expect.stringMatching(/^ {2}10\/10 done: 10 processed/),
    ]);
  });
});

describe('ProgressDisplay on a terminal', () => {
  it('draws one display in place, and prints events above it', async () => {
    // Prepare
    const terminal = new PassThrough() as unknown as NodeJS.WriteStream;
    Object.assign(terminal, { isTTY: true, columns: 200, rows: 40 });
    let drawn = '';
    (terminal as unknown as PassThrough).on('data', (chunk: Buffer) => {
      drawn += chunk.toString();
    });
    const written: string[] = [];
    const display = new ProgressDisplay(100, {
      write: (line) => written.push(line),
      interactive: true,
      stream: terminal,
    });

    // Act
    for (let step = 0; step <= 5; step += 1) {
      display.update(runSample({ at: Date.now(), totals: { processed: step * 20 } }), []);
      if (step === 2) display.log('  alarm DeadLetterQueueNotEmpty OK -> ALARM');
      await new Promise((resolve) => setTimeout(resolve, 220));
    }
    display.stop();

    // Assess: redrawn with cursor moves rather than written line after line; the event once.
    expect(written).toEqual([]);
    expect(drawn).toContain('\u001b[1A');
    expect(drawn).toContain('100/100 done | 100 processed');
    expect(drawn.split('alarm DeadLetterQueueNotEmpty OK -> ALARM').length - 1).toBe(1);
  });
});
