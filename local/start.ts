import { Command, InvalidArgumentError } from 'commander';
import { openBrowser } from '../cli/console/openBrowser.js';
import type { RunningConsole } from '../cli/console/startConsole.js';
import { pointToHelp } from '../cli/support/pointToHelp.js';
import { startLocalConsole } from './console/localConsole.js';
import { parseOutageWindow } from './faults/parseOutageWindow.js';
import { runReportPath, writeRunReport } from './report/runReport.js';
import { type DemoOptions, keepRunningBlock, runDemo, runDescription } from './runDemo.js';
import { integerArgument } from './support/integerArgument.js';
import { FaultMixError, NO_FAULTS, parseFaultMix } from './traffic/faultMix.js';

/**
 * `npm start`: the whole pipeline on the embedded SQS/SNS server. Options after `--`, e.g.
 * `npm start -- --messages 5000 --faults transient=0.1,permanent=0.02`.
 */
const DEFAULT_FAULTS = 'transient=0.05,flaky=0.05,permanent=0.01,slow=0.002';

const program = new Command('npm start --')
  .description(
    'Run the synthesized stack locally, send demo traffic with injected faults, and account for every message.',
  )
  .option('--messages <count>', 'task messages to send', integerArgument('--messages', 1, 1_000_000), 1_000)
  .option('--faults <mix>', `fault mix, or "none" (${DEFAULT_FAULTS} by default)`, DEFAULT_FAULTS)
  .option(
    '--rate <messages-per-second>',
    'send the messages spread evenly at this rate (default: all at once)',
    integerArgument('--rate', 1, 100_000),
  )
  .option('--seed <number>', 'seed for the fault assignment', integerArgument('--seed', 0, 2 ** 31), 1)
  .option(
    '--time-scale <factor>',
    'how much faster waits run than on AWS',
    integerArgument('--time-scale', 1, 3_600),
    60,
  )
  .option(
    '--port <port>',
    'port of the embedded server (0: any free port)',
    integerArgument('--port', 0, 65_535),
    0,
  )
  .option('--region <region>', 'region of the local resources', process.env.AWS_REGION ?? 'us-east-1')
  .option(
    '--max-wait <seconds>',
    'give up waiting for the last messages after this long',
    integerArgument('--max-wait', 1, 86_400),
    300,
  )
  .option(
    '--context <key=value>',
    'CDK context for the synthesis (repeatable), e.g. sqs-failsafe:fifo=true',
    (value: string, previous: Record<string, string>) => {
      const separator = value.indexOf('=');
      if (separator <= 0)
        throw new InvalidArgumentError('--context takes key=value, e.g. sqs-failsafe:fifo=true.');
      return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
    },
    {} as Record<string, string>,
  )
  .option(
    '--outage <start:duration>',
    "make the worker's downstream dependency fail, e.g. 5:30 (from 5 s after the start, for 30 s)",
    parseOutageWindow,
  )
  .option(
    '--topology <queue|fanout>',
    'queue: tasks are sent to the work queue; fanout: published to a topic the queue is subscribed to',
    (value: string) => {
      if (value === 'queue' || value === 'fanout') return value;
      throw new InvalidArgumentError('--topology takes queue or fanout.');
    },
  )
  .option('--resynth', 'synthesize even when the local assembly is fresh')
  .option('--no-synth', 'use the existing local assembly as it is')
  .option('--keep-running', 'leave the server up after the summary, for the CLI or an SDK')
  .option(
    '--console',
    'open the operator console on the run: live charts, then the DLQ (implies --keep-running)',
  )
  .option('--no-open', 'with --console: print its URL only, do not open a browser')
  .option('--verbose', "show the functions' log lines");
// A bad flag is one line that says where the flags are, not the whole help scrolling it out of sight.
pointToHelp(program, 'npm start --');

program.parse();
const options = program.opts<{
  messages: number;
  faults: string;
  rate?: number;
  seed: number;
  timeScale: number;
  port: number;
  region: string;
  maxWait: number;
  context: Record<string, string>;
  topology?: 'queue' | 'fanout';
  outage?: { startSeconds: number; durationSeconds: number };
  resynth?: boolean;
  synth: boolean;
  keepRunning?: boolean;
  verbose?: boolean;
  console?: boolean;
  open: boolean;
}>();

let runningConsole: RunningConsole | undefined;

/** --console: the console starts with the runtime, and the run's progress feeds its live charts. */
function consoleHooks(open: boolean): Pick<DemoOptions, 'onRuntime'> {
  return {
    onRuntime: async (runtime, timeline) => {
      runningConsole = await startLocalConsole(runtime, timeline);
      console.log(`Operator console: ${runningConsole.url}`);
      if (open) openBrowser(`${runningConsole.url}#/live`);
    },
  };
}

try {
  const faults = options.faults === 'none' ? NO_FAULTS : parseFaultMix(options.faults);
  const result = await runDemo({
    projectDirectory: process.cwd(),
    synth: options.synth === false ? 'skip' : options.resynth ? 'force' : 'auto',
    messages: options.messages,
    faults,
    seed: options.seed,
    timeScale: options.timeScale,
    port: options.port,
    region: options.region,
    maxWaitSeconds: options.maxWait,
    context: {
      ...(options.topology === undefined ? {} : { 'sqs-failsafe:topology': options.topology }),
      ...options.context,
    },
    ...(options.outage === undefined ? {} : { outage: options.outage }),
    ...(options.rate === undefined ? {} : { ratePerSecond: options.rate }),
    keepRunning: (options.keepRunning ?? false) || options.console === true,
    ...(options.console === true ? consoleHooks(options.open) : {}),
    verbose: options.verbose ?? false,
    write: (line) => console.log(line),
  });
  const report = await writeRunReport(runReportPath(process.cwd(), 'start'), {
    title: 'npm start: the pipeline on the local runtime',
    subtitle: runDescription(options.messages, options.faults, options.timeScale),
    runs: [{ heading: 'The run', summary: result.summary, timeline: result.timeline }],
  });
  console.log(`\nRun report: ${report.path} (one HTML file, nothing loaded from the network)`);
  if (result.runtime !== undefined) {
    const { runtime } = result;
    console.log('');
    for (const line of keepRunningBlock(runtime, options.region)) console.log(line);
    process.once(
      'SIGINT',
      () =>
        void Promise.all([runtime.stop(), runningConsole?.close()]).then(() =>
          process.exit(result.conserved ? 0 : 1),
        ),
    );
  } else {
    process.exitCode = result.conserved ? 0 : 1;
  }
} catch (error) {
  // One clear line (or the tool's own message), never a stack trace from deep inside.
  const message = error instanceof FaultMixError || error instanceof Error ? error.message : String(error);
  console.error(`npm start: ${message}`);
  process.exitCode = 1;
  await runningConsole?.close();
}
