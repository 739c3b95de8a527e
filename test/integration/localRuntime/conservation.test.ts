import { describe, expect, it } from 'vitest';
import { runDemo } from '../../../local/runDemo.js';
import { parseFaultMix } from '../../../local/traffic/faultMix.js';

/**
 * The conservation suite: thousands of messages through the whole pipeline (the example app, the worker
 * bundle, the emulated mapping, alarms) under every injected fault at once. It must end with 0 lost and 0
 * stuck: every message processed or in the DLQ with its failure metadata, and every dead letter announced
 * on the topic or its announcement failure logged and counted.
 */
const MESSAGES = Number(process.env.SQS_FAILSAFE_CONSERVATION_MESSAGES ?? 5_000);
/** A FIFO queue drains one message per group at a time (the embedded server hands out one per receive). */
const FIFO_MESSAGES = Math.ceil(MESSAGES / 10);

describe('conservation under faults', () => {
  it.each([
    ['standard', MESSAGES, false],
    ['FIFO', FIFO_MESSAGES, true],
  ] as const)(
    '%s: accounts for all %i messages: 0 lost, 0 stuck, none dead-lettered early',
    { timeout: 300_000 },
    async (_, messages, fifo) => {
      // Prepare: transient throws, permanent errors, records running into the time budget, functions running
      // past their timeout, SNS publish failures and SQS throttling on the AWS-call layer.
      const faults = parseFaultMix(
        'transient=0.05,flaky=0.05,permanent=0.02,slow=0.004,timeout=0.002,sns=0.3,throttle=0.05',
      );
      const lines: string[] = [];

      // Act
      const { summary, conserved } = await runDemo({
        projectDirectory: process.cwd(),
        assemblyDirectory: `.local-runtime/test-conservation${fifo ? '-fifo' : ''}`,
        synth: 'auto',
        // A 5 s function keeps the slow and timed-out invocations short enough for a test run. The circuit
        // breaker and the redrive function are on, as deployed: a few percent of records failing is not an
        // outage, so the breaker must not pause the consumer. Traffic arrives at a steady rate, as it does in
        // production: redelivery copies join the back of the queue, so a burst sent all at once would end in a
        // tail made only of retries, where the failure share is high by construction (docs/failure-routing.md).
        context: {
          'sqs-failsafe:functionTimeoutSeconds': '5',
          ...(fifo ? { 'sqs-failsafe:fifo': 'true' } : {}),
        },
        messages,
        ratePerSecond: fifo ? 40 : 100,
        faults,
        seed: 7,
        timeScale: 60,
        port: 0,
        region: 'us-east-1',
        maxWaitSeconds: 240,
        keepRunning: false,
        verbose: false,
        interactive: false,
        write: (line) => lines.push(line),
      });

      // Assess
      const { totals } = summary;
      expect(conserved, lines.join('\n')).toBe(true);
      expect(totals.produced).toBe(messages);
      expect(totals.lost).toBe(0);
      expect(totals.stuck).toBe(0);
      expect(totals.deadLetteredEarly).toBe(0);
      expect(totals.processed + totals.deadLettered).toBeGreaterThanOrEqual(messages);
      expect(summary.deadLettersWithoutMetadata).toBe(0);
      expect(totals.movedWithoutMetadata).toBe(0);
      expect(totals.deadLettersAnnounced + summary.notificationFailures).toBeGreaterThanOrEqual(
        totals.deadLettersSent,
      );
      // Every fault really happened.
      expect(totals.retried).toBeGreaterThan(0);
      expect(totals.deadLettered).toBeGreaterThan(0);
      expect(summary.invocations.reduce((sum, fn) => sum + fn.timeouts, 0)).toBeGreaterThan(0);
      expect(summary.injected.sqsThrottled).toBeGreaterThan(0);
      expect(summary.injected.snsFailed).toBeGreaterThan(0);
      expect(summary.totals.notifications['consumer.paused'] ?? 0, lines.join('\n')).toBe(0);
    },
  );
});
