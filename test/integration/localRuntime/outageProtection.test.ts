import { describe, expect, it } from 'vitest';
import { runDemo } from '../../../local/runDemo.js';
import { NO_FAULTS, parseFaultMix } from '../../../local/traffic/faultMix.js';
import { planMessages, seededRandom } from '../../../local/traffic/trafficDriver.js';
import { demoOptions } from '../../helpers/localRuntimeHarness.js';

/**
 * A downstream outage, end to end on the local runtime with the example app: traffic keeps arriving
 * through it and after it, as in production. With the consumer circuit breaker, the whole cycle (alarm,
 * pause, half-open, close) runs through the controller's own Lambda and CloudWatch API calls and nothing
 * is dead-lettered. Without it, the outage fills the DLQ, and the health alarm's return to OK triggers the
 * redrive that brings every healthy message back, while a poison message stays parked.
 */
const base = { seed: 11 } as const;

describe('outage protection on the local runtime', () => {
  it('the breaker pauses the consumer during the outage and resumes it after: nothing dead-lettered', {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const lines: string[] = [];

    // Act: 300 messages over 15 s; the dependency is down from 2 s to 14 s (12 minutes of AWS time).
    const { summary, conserved, timeline } = await runDemo(
      demoOptions({
        ...base,
        assemblyDirectory: '.local-runtime/test-outage-breaker',
        context: { 'sqs-failsafe:functionTimeoutSeconds': '5' },
        messages: 300,
        ratePerSecond: 20,
        faults: NO_FAULTS,
        outage: { startSeconds: 2, durationSeconds: 12 },
        write: (line) => lines.push(line),
      }),
    );

    // Assess
    const story = lines.join('\n');
    expect(conserved, story).toBe(true);
    expect(summary.totals.processed, story).toBe(300);
    expect(summary.totals.everDeadLettered, story).toBe(0);
    expect(summary.outage?.pauses, story).toBeGreaterThanOrEqual(1);
    expect(summary.outage?.resumes, story).toBeGreaterThanOrEqual(1);
    expect(summary.totals.notifications['consumer.paused'], story).toBeGreaterThanOrEqual(1);
    expect(summary.totals.notifications['consumer.resumed'], story).toBeGreaterThanOrEqual(1);
    expect(timeline.alarms, story).toContainEqual(
      expect.objectContaining({ alarm: 'TransientFailures', previous: 'OK', state: 'ALARM' }),
    );
  });

  it('without the breaker, the health alarm’s return to OK redrives what the outage dead-lettered; poison stays parked', {
    timeout: 180_000,
  }, async () => {
    // Prepare: one message in a hundred is poison; short redelivery waits let the outage use up receives.
    const faults = parseFaultMix('permanent=0.01');
    const poison = planMessages(300, faults, seededRandom(base.seed)).filter(
      (message) => message.fault === 'permanent',
    ).length;
    const lines: string[] = [];

    // Act
    const { summary, conserved, timeline } = await runDemo(
      demoOptions({
        ...base,
        assemblyDirectory: '.local-runtime/test-outage-redrive',
        context: {
          'sqs-failsafe:functionTimeoutSeconds': '5',
          'sqs-failsafe:circuitBreaker': 'false',
          'sqs-failsafe:redeliveryScheduleSeconds': '10,10',
        },
        messages: 300,
        ratePerSecond: 10,
        faults,
        outage: { startSeconds: 3, durationSeconds: 10 },
        write: (line) => lines.push(line),
      }),
    );

    // Assess
    const story = lines.join('\n');
    const { totals } = summary;
    expect(poison).toBeGreaterThan(0);
    expect(conserved, story).toBe(true);
    // The outage dead-lettered healthy messages...
    expect(totals.everDeadLettered, story).toBeGreaterThan(poison + 10);
    // ...the health alarm's return to OK redrove them, and every healthy message was processed...
    expect(timeline.alarms, story).toContainEqual(
      expect.objectContaining({ alarm: 'ConsumerHealth', previous: 'ALARM', state: 'OK' }),
    );
    expect(totals.notifications['redrive.started'], story).toBeGreaterThanOrEqual(1);
    expect(totals.redriven, story).toBeGreaterThanOrEqual(totals.everDeadLettered - poison);
    expect(totals.processed, story).toBe(300 - poison);
    // ...while the poison messages are parked in the DLQ, with their failure metadata.
    expect(totals.deadLettered, story).toBe(poison);
    expect(summary.deadLettersWithoutMetadata, story).toBe(0);
  });
});
