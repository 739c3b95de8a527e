import { describe, expect, it } from 'vitest';
import { runDemo } from '../../../local/runDemo.js';
import { parseFaultMix } from '../../../local/traffic/faultMix.js';
import { demoOptions } from '../../helpers/localRuntimeHarness.js';

/**
 * `npm start -- --topology fanout`: producers publish to a topic, the construct subscribed the work queue to it
 * (raw delivery, a filter policy on the attribute `kind`) and told the consumer there is no envelope. Every task
 * published must be processed or dead-lettered with its failure metadata, and no message the filter policy
 * refuses may reach the queue.
 */
describe('the fan-out topology on the local runtime', () => {
  it('processes what is published to the topic, dead-letters the failures with metadata, filters the rest', async () => {
    // Arrange: permanent failures stay in the DLQ (no redrive), transient ones are retried
    const lines: string[] = [];
    const messages = 200;

    // Act
    const result = await runDemo(
      demoOptions({
        assemblyDirectory: '.local-runtime/test-fanout',
        context: {
          'sqs-failsafe:functionTimeoutSeconds': '5',
          'sqs-failsafe:topology': 'fanout',
          'sqs-failsafe:redrive': 'false',
        },
        messages,
        faults: parseFaultMix('transient=0.1,permanent=0.05'),
        write: (line) => lines.push(line),
      }),
    );

    // Assess
    const { totals } = result.summary;
    expect(result.conserved, lines.join('\n')).toBe(true);
    expect(result.fanOut).toMatchObject({ ignored: 2, reachedQueue: 0 });
    expect(totals.produced).toBe(messages);
    expect(totals.lost).toBe(0);
    expect(totals.stuck).toBe(0);
    expect(totals.deadLettered).toBeGreaterThan(0);
    expect(totals.processed + totals.deadLettered).toBe(messages);
    expect(totals.retried).toBeGreaterThan(0);
    expect(result.summary.deadLettersWithoutMetadata).toBe(0);
    expect(lines.join('\n')).toMatch(
      /Fan-out: 200 tasks published to the topic \S+SourceTopic\S+ \(kind = task\); 2 messages of another kind kept out by the subscription's filter policy, 0 of which reached the queue/,
    );
  });
});
