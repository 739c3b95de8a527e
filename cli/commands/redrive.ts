import type { Command } from 'commander';
import { MAX_VISIBILITY_SECONDS } from '../../lib/aws/serviceLimits.js';
import { InvalidOptionsError } from '../../lib/errors.js';
import { redrive } from '../../lib/redrive/redriveEngine.js';
import { parseRedriveFilter, type RedriveFilter } from '../../lib/redrive/redriveFilter.js';
import type { RedriveReport } from '../../lib/redrive/redriveReport.js';
import type { RedriveStrategyChoice } from '../../lib/redrive/redriveStrategy.js';
import type { LoggerLike } from '../../lib/types.js';
import { withFlagNames } from '../support/flagNames.js';
import { choiceArgument, collect, integerArgument, numberArgument } from '../support/parseArguments.js';
import { plural } from '../support/plural.js';
import { type ProgressView, progressBar } from '../support/progressBar.js';
import { redriveJson } from '../support/redriveJson.js';
import { action } from '../support/reportError.js';

interface RedriveCommandOptions {
  readonly source?: string;
  readonly confirmUnpairedSource?: boolean;
  readonly dryRun?: boolean;
  readonly max?: number;
  readonly rate?: number;
  readonly filter?: string[];
  readonly strategy: RedriveStrategyChoice;
  readonly concurrency?: number;
  readonly maxRedrives?: number;
  readonly parkingQueue?: string;
  readonly timeBudget?: number;
  readonly visibilityTimeout?: number;
  readonly json?: boolean;
  readonly progress: boolean;
}

/** Outcomes listed under the summary of a dry run or a run with failures. */
const LISTED_OUTCOMES = 20;

export function registerRedriveCommand(program: Command): void {
  program
    .command('redrive')
    .description('Move messages from a DLQ back to their source queues (or show what would move).')
    .argument('<dlq>', 'the dead-letter queue: URL, ARN or name')
    .option(
      '--source <queue>',
      'fallback source for messages that do not name theirs; its redrive policy must name the DLQ',
    )
    .option(
      '--confirm-unpaired-source',
      'send to --source although its redrive policy does not name the DLQ (the messages did not come from it)',
    )
    .option('--dry-run', 'inspect and report what would move, then release the messages')
    .option('--max <n>', 'stop after this many messages moved', integerArgument(1, 1_000_000_000))
    .option('--rate <msg/s>', 'messages moved per second at most', numberArgument(0.01, 1_000_000))
    .option(
      '--filter <expr>',
      'move only matching messages: errorClass=<Name>, attribute:<name>=<value>, $.<path>=<value> (repeat to combine)',
      collect,
    )
    .option(
      '--strategy <strategy>',
      'auto, manual or native (StartMessageMoveTask)',
      choiceArgument(['auto', 'manual', 'native'] as const),
      'auto',
    )
    .option('--concurrency <n>', 'receive-send-delete loops at once', integerArgument(1, 100))
    .option(
      '--max-redrives <n>',
      'leave (or park) messages already redriven this often',
      integerArgument(1, 1_000),
    )
    .option('--parking-queue <queue>', 'where messages over --max-redrives go')
    .option('--time-budget <seconds>', 'stop receiving after this long', integerArgument(1, 2_000_000))
    .option(
      '--visibility-timeout <seconds>',
      'how long a received message stays invisible',
      integerArgument(1, MAX_VISIBILITY_SECONDS),
    )
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  $ sqs-failsafe redrive orders-dlq --dry-run --filter errorClass=TimeoutError
  $ sqs-failsafe redrive orders-dlq --max 1000 --rate 50 --max-redrives 3 --parking-queue orders-parked
  $ sqs-failsafe redrive orders-dlq --filter '$.order.region=eu' --json`,
    )
    .action(
      action(async (dlq: string, options: RedriveCommandOptions) => {
        const bar = progressBar(options.progress && options.json !== true, {
          dryRun: options.dryRun === true,
        });
        const stopper = new AbortController();
        const onInterrupt = interruptHandler(stopper, bar);
        process.on('SIGINT', onInterrupt);
        try {
          const report = await redrive({
            dlq,
            source: options.source,
            confirmUnpairedSource: options.confirmUnpairedSource,
            strategy: options.strategy,
            dryRun: options.dryRun ?? false,
            maxMessages: options.max,
            ratePerSecond: options.rate,
            filter: filtersOf(options.filter ?? []),
            concurrency: options.concurrency,
            maxRedrivesPerMessage: options.maxRedrives,
            parkingQueue: options.parkingQueue,
            timeBudgetMs: options.timeBudget === undefined ? undefined : options.timeBudget * 1_000,
            visibilityTimeoutSeconds: options.visibilityTimeout,
            signal: stopper.signal,
            logger: stderrLogger(bar),
            onStart: (plan) =>
              bar.start(
                options.max === undefined
                  ? plan.approximateDepth
                  : Math.min(plan.approximateDepth, options.max),
              ),
            onProgress: (progress) =>
              bar.update(progress.strategy === 'native' ? progress.moved : progress.received, {
                moved: progress.moved,
                skipped: progress.skippedByFilter + progress.capped,
                failed: progress.failed,
                rate:
                  progress.elapsedMs === 0 ? 0 : Math.round((progress.moved / progress.elapsedMs) * 1_000),
              }),
          });
          bar.stop();
          if (options.json === true)
            process.stdout.write(`${JSON.stringify(redriveJson(report), null, 2)}\n`);
          else process.stdout.write(summary(report));
          const unmoved = report.failed + report.duplicated;
          if (!report.dryRun && unmoved > 0) {
            process.stderr.write(
              `sqs-failsafe: ${plural(report.failed, 'message')} could not be moved and ${plural(report.duplicated, 'message')} were sent but not deleted; see the report.\n`,
            );
            process.exitCode = 1;
          }
        } finally {
          bar.stop();
          process.off('SIGINT', onInterrupt);
        }
      }),
    );
}

/** The `--filter` values, a refusal naming the flag (the parser's problems quote only the value). */
function filtersOf(texts: readonly string[]): RedriveFilter[] {
  try {
    return texts.map(parseRedriveFilter);
  } catch (error) {
    if (!(error instanceof InvalidOptionsError)) throw error;
    throw new InvalidOptionsError(
      'arguments',
      error.problems.map((problem) => `--filter ${problem}`),
    );
  }
}

/** Ctrl-C once: stop receiving, finish the batches under way, release held messages, print the report. */
function interruptHandler(stopper: AbortController, bar: ProgressView): () => void {
  return () => {
    if (stopper.signal.aborted) process.exit(130);
    bar.stop();
    process.stderr.write('sqs-failsafe: stopping after the batches under way (Ctrl-C again to quit now)\n');
    stopper.abort();
  };
}

/** Warnings and errors of the engine on stderr, one line each, without breaking the progress bar. */
function stderrLogger(bar: ProgressView): LoggerLike {
  const write = (level: string) => (message: string) => {
    bar.stop();
    process.stderr.write(`sqs-failsafe: ${level}: ${message}\n`);
  };
  return { debug() {}, info() {}, warn: write('warning'), error: write('error') };
}

function summary(report: RedriveReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run of' : 'Redrive of'} ${report.dlqUrl}`,
    `  strategy           ${report.strategy} (${withFlagNames(report.strategyReason)})`,
    `  ${report.dryRun ? 'would move        ' : 'moved            '}  ${report.moved}`,
    `  skipped by filter  ${report.skippedByFilter}`,
    `  capped             ${report.capped} (${report.parked} ${report.dryRun ? 'would be ' : ''}parked)`,
    `  failed             ${report.failed}`,
    ...(report.blocked > 0 ? [`  blocked (FIFO)     ${report.blocked}`] : []),
    ...(report.duplicated > 0 ? [`  duplicated         ${report.duplicated}`] : []),
    `  redriven before    ${report.previouslyRedriven}`,
    `  duration           ${(report.durationMs / 1_000).toFixed(2)} s, ${report.ratePerSecond} msg/s, stopped: ${report.stopReason}`,
  ];
  for (const [url, moved] of Object.entries(report.movedByDestination))
    lines.push(`  ${report.dryRun ? 'would move to' : 'moved to'} ${url}: ${moved}`);
  for (const [url, refused] of Object.entries(report.unpairedDestinations)) {
    lines.push(
      `  not sent to ${url}: ${refused} (its redrive policy does not name this DLQ; --source with --confirm-unpaired-source to send there)`,
    );
  }
  if (report.nativeTask !== undefined) {
    lines.push(`  task               ${report.nativeTask.taskHandle ?? '-'} ${report.nativeTask.status}`);
  }
  const listed = report.messages
    .filter((outcome) => report.dryRun || outcome.action !== 'moved')
    .slice(0, LISTED_OUTCOMES);
  if (listed.length > 0) {
    lines.push('', '  message                               action             redrives  detail');
    for (const outcome of listed) {
      const detail = outcome.reason ?? outcome.destinationUrl ?? outcome.errorClass ?? '';
      lines.push(
        `  ${outcome.messageId.padEnd(36)}  ${outcome.action.padEnd(17)}  ${String(outcome.redriveCount).padStart(8)}  ${detail}`,
      );
    }
    const more = report.messages.length - listed.length + report.messagesOmitted;
    if (more > 0 && report.dryRun) lines.push(`  ... and ${more} more (--json for all)`);
  }
  return `${lines.join('\n')}\n`;
}
