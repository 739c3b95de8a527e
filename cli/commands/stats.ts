import type { Command } from 'commander';
import type { QueueSample, QueueStats } from '../../lib/redrive/queueStats.js';
import { queueStats } from '../../lib/redrive/queueStats.js';
import { integerArgument } from '../support/parseArguments.js';
import { action } from '../support/reportError.js';

interface StatsCommandOptions {
  readonly sample: number;
  readonly json?: boolean;
  readonly byCause?: boolean;
}

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('Show queue depths and, for DLQs, the oldest message age and redrive counts from a sample.')
    .argument('<queue...>', 'queues: URLs, ARNs or names')
    .option(
      '--sample <n>',
      'DLQ messages to sample (peek) for ages and counts; 0 for none',
      integerArgument(0, 1_000),
      100,
    )
    .option('--by-cause', 'list the sampled dead letters by cause (fingerprint id, count, label)')
    .option('--json', 'print the figures as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sqs-failsafe stats orders orders-dlq\n  $ sqs-failsafe stats orders-dlq --by-cause --sample 1000',
    )
    .action(
      action(async (queues: string[], options: StatsCommandOptions) => {
        const stats: QueueStats[] = [];
        for (const queue of queues) stats.push(await queueStats({ queue, sample: options.sample }));
        if (options.json === true) process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
        else
          process.stdout.write(
            `${stats.map((queue) => describe(queue, options.byCause === true)).join('\n\n')}\n`,
          );
      }),
    );
}

function describe(stats: QueueStats, byCause: boolean): string {
  const lines = [
    `${stats.name}${stats.fifo ? ' (FIFO)' : ''}`,
    `  visible ${stats.visible}, in flight ${stats.inFlight}, delayed ${stats.delayed}`,
  ];
  if (stats.redrivePolicy !== undefined) {
    lines.push(
      `  dead-letters to ${stats.redrivePolicy.deadLetterTargetArn} after ${stats.redrivePolicy.maxReceiveCount} receives`,
    );
  }
  const { sample } = stats;
  if (sample === undefined) lines.push(`  no sample: ${stats.sampleSkipped}`);
  else if (sample.size === 0) lines.push('  sample: no messages visible');
  else {
    lines.push(
      `  oldest of ${sample.size} sampled: ${sample.oldestAgeSeconds ?? '-'} s (sent ${sample.oldestSentAt ?? '-'})`,
      `  redrive counts: ${histogram(sample.redriveCounts)}`,
      `  error classes: ${histogram(sample.errorClasses)}`,
    );
    if (byCause) lines.push('  causes (peek --cause <id> shows them):', ...causeLines(sample.causes));
  }
  return lines.join('\n');
}

function causeLines(causes: QueueSample['causes']): string[] {
  return Object.entries(causes)
    .sort(([, a], [, b]) => b.count - a.count)
    .map(([id, cause]) => `    ${id}  ${String(cause.count).padStart(6)}  ${cause.label}`);
}

function histogram(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => `${key}: ${count}`)
    .join(', ');
}
