import { Command } from 'commander';
import { parseOutageWindow } from './faults/parseOutageWindow.js';
import { compareOutageRuns, type OutageRun } from './report/outageComparison.js';
import { runReportPath, writeRunReport } from './report/runReport.js';
import type { RunTimeline } from './report/runTimeline.js';
import { runDemo } from './runDemo.js';
import { integerArgument } from './support/integerArgument.js';
import { NO_FAULTS } from './traffic/faultMix.js';

/**
 * `npm run outage`: the worker's downstream dependency fails for a while, then recovers, with 10,000
 * messages in flight; run twice on the local runtime, consumer circuit breaker off and on, and compared:
 * messages dead-lettered (target with the breaker: 0), invocations during the outage, downstream calls
 * refused, and time to drain after recovery.
 */
const program = new Command('npm run outage --')
  .description('Compare a downstream outage with the consumer circuit breaker off and on.')
  .option('--messages <count>', 'task messages to send', integerArgument('--messages', 1, 1_000_000), 10_000)
  .option(
    '--outage <start:duration>',
    'when the dependency fails, in real seconds; 90 s is 90 minutes at the default time scale, longer than the example’s retry horizon',
    parseOutageWindow,
    parseOutageWindow('3:90'),
  )
  .option(
    '--time-scale <factor>',
    'how much faster waits run than on AWS',
    integerArgument('--time-scale', 1, 3_600),
    60,
  )
  .option('--verbose', 'print every line of both runs');

program.parse();
const options = program.opts<{
  messages: number;
  outage: { startSeconds: number; durationSeconds: number };
  timeScale: number;
  verbose?: boolean;
}>();

const simulatedMinutes = (options.outage.durationSeconds * options.timeScale) / 60;
console.log(
  `Outage: ${options.messages} messages; the dependency fails ${options.outage.startSeconds} s in, for ` +
    `${options.outage.durationSeconds} s (${simulatedMinutes} min of AWS time at ${options.timeScale}x).`,
);

const startedAt = Date.now();
const runs: (OutageRun & { timeline: RunTimeline })[] = [];
for (const breaker of [false, true]) {
  const label = `breaker ${breaker ? 'on' : 'off'}`;
  console.log(`\n== ${label} ==`);
  const { summary, conserved, timeline } = await runDemo({
    projectDirectory: process.cwd(),
    assemblyDirectory: `.local-runtime/outage-breaker-${breaker ? 'on' : 'off'}`,
    synth: 'auto',
    context: { 'sqs-failsafe:circuitBreaker': String(breaker) },
    messages: options.messages,
    faults: NO_FAULTS,
    seed: 1,
    timeScale: options.timeScale,
    port: 0,
    region: 'us-east-1',
    maxWaitSeconds: 1_200,
    keepRunning: false,
    verbose: false,
    outage: options.outage,
    interactive: false,
    write: (line) => {
      // The story of a run: alarms, pauses and the summary; the progress ticks only with --verbose.
      if (options.verbose || !line.includes(' done: ')) console.log(line);
    },
  });
  runs.push({ label, summary, conserved, timeline });
}

const comparison = compareOutageRuns(runs[0] as OutageRun, runs[1] as OutageRun, options.timeScale);
console.log(`\n${comparison.table}`);
console.log(`\n${comparison.verdict}`);
const report = await writeRunReport(runReportPath(process.cwd(), 'outage'), {
  title: 'npm run outage: a downstream outage, circuit breaker off and on',
  subtitle:
    `${options.messages} messages each; the dependency fails ${options.outage.startSeconds} s in, for ` +
    `${options.outage.durationSeconds} s; waits ${options.timeScale}x faster than on AWS; ${new Date().toISOString()}`,
  runs: runs.map((run) => ({
    heading: `Breaker ${run.label.replace('breaker ', '')}`,
    summary: run.summary,
    timeline: run.timeline,
  })),
  lead: {
    heading: 'Breaker off and on',
    tables: [
      { caption: comparison.verdict, header: comparison.rows[0] ?? [], rows: comparison.rows.slice(1) },
    ],
  },
});
console.log(
  `\nBoth runs took ${((Date.now() - startedAt) / 1_000).toFixed(0)} s in all. Run report: ${report.path} ` +
    '(one HTML file, nothing loaded from the network)',
);
process.exitCode = runs.every((run) => run.conserved) ? 0 : 1;
