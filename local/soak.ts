import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import type { SlowAws } from './faults/awsFaultProxy.js';
import { runReportPath, writeRunReport } from './report/runReport.js';
import { runDemo, runDescription } from './runDemo.js';
import { integerArgument } from './support/integerArgument.js';
import { parseFaultMix } from './traffic/faultMix.js';

/**
 * `npm run soak`: the conservation run at scale (20,000 messages by default) with every fault injected,
 * printing the figures and writing a run report. Exit code 1 if any message is lost, stuck, or
 * dead-lettered before its attempts were spent. `npm run soak -- --fifo` runs it on a FIFO queue (5,000
 * messages by default: the embedded server hands out one message per group per receive, so FIFO drains
 * slower).
 *
 * `npm run soak -- --slow-aws`: the functions' SQS and SNS calls answer in 1 to 3 s, and 2% never answer,
 * so every call after the handler meets a slow or stuck AWS (1,000 messages by default). No message fault
 * blocks past the function timeout here, so every timeout counted is one the runtime failed to prevent:
 * exit code 1 as well if any invocation ran past its timeout.
 *
 * `npm run soak -- --model`: the model-based property (test/model, docs/testing.md) at 10,000 runs of up to
 * 200 commands (MODEL_RUNS to change it) with a fresh seed, printed so a failure can be replayed.
 */
const program = new Command('npm run soak --')
  .description('Send messages through the local pipeline under every fault and account for each one.')
  .option(
    '--messages <count>',
    'messages to send (default 20,000; 5,000 with --fifo; 1,000 with --slow-aws; or SOAK_MESSAGES)',
    integerArgument('--messages', 1, 1_000_000),
  )
  .option('--slow-aws', 'SQS and SNS answer in 1-3 s, and 2% of calls never answer')
  .option('--fifo', 'run on a FIFO queue (default 5,000 messages)')
  .option('--verbose', "print the functions' log lines")
  .option('--model', 'run the model-based property at scale instead (MODEL_RUNS, MODEL_SEED)')
  .parse(process.argv);

const options = program.opts<{
  messages?: number;
  slowAws?: boolean;
  fifo?: boolean;
  verbose?: boolean;
  model?: boolean;
}>();

if (options.model) {
  const runs = process.env.MODEL_RUNS ?? '10000';
  const seed = process.env.MODEL_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
  console.log(`Model soak: ${runs} runs of up to 200 commands, seed ${seed} (MODEL_SEED=${seed} replays it)`);
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'model', 'test/model/conservation.test.ts'], {
    stdio: 'inherit',
    env: { ...process.env, MODEL_RUNS: runs, MODEL_SEED: seed },
  });
  process.exitCode = run.status ?? 1;
} else {
  const { fifo } = options;
  const slowAws: SlowAws | undefined = options.slowAws
    ? { delayMs: [1_000, 3_000], hangRate: 0.02 }
    : undefined;
  const defaultMessages = slowAws !== undefined ? 1_000 : fifo ? 5_000 : 20_000;
  const messages = options.messages ?? Number(process.env.SOAK_MESSAGES ?? defaultMessages);
  const faults =
    slowAws === undefined
      ? 'transient=0.05,flaky=0.05,permanent=0.02,slow=0.004,timeout=0.002,sns=0.3,throttle=0.05'
      : 'transient=0.05,flaky=0.05,permanent=0.02,slow=0.004,sns=0.1,throttle=0.05';
  // Three calls after the handler at up to 3 s each need more than the 5 s the plain soak gives a function.
  const functionTimeoutSeconds = slowAws === undefined ? 5 : 10;
  console.log(
    `Soak: ${messages} messages on a ${fifo ? 'FIFO' : 'standard'} queue, faults ${faults}, ${functionTimeoutSeconds} s function timeout` +
      (slowAws === undefined ? '' : ', SQS and SNS answering in 1-3 s, 2% of calls never answered'),
  );
  const startedAt = Date.now();
  const { conserved, summary, timeline } = await runDemo({
    projectDirectory: process.cwd(),
    assemblyDirectory: `.local-runtime/soak-${functionTimeoutSeconds}s${fifo ? '-fifo' : ''}`,
    synth: 'auto',
    context: {
      'sqs-failsafe:functionTimeoutSeconds': String(functionTimeoutSeconds),
      ...(fifo ? { 'sqs-failsafe:fifo': 'true' } : {}),
    },
    messages,
    faults: parseFaultMix(faults),
    ...(slowAws === undefined ? {} : { slowAws }),
    seed: 20_261_124,
    timeScale: 60,
    port: 0,
    region: 'us-east-1',
    maxWaitSeconds: 1_800,
    keepRunning: false,
    verbose: options.verbose === true,
    write: (line) => console.log(line),
  });
  const name = `soak${fifo ? '-fifo' : ''}${slowAws === undefined ? '' : '-slow-aws'}`;
  const flags = [fifo ? '--fifo' : '', slowAws === undefined ? '' : '--slow-aws'].filter(Boolean).join(' ');
  const report = await writeRunReport(runReportPath(process.cwd(), name), {
    title:
      slowAws === undefined
        ? `npm run soak${flags === '' ? '' : ` -- ${flags}`}: every fault at scale`
        : `npm run soak -- ${flags}: every call after the handler meets a slow or stuck AWS`,
    subtitle: runDescription(messages, faults, 60),
    runs: [{ heading: 'The soak', summary, timeline }],
  });
  console.log(
    `\nSoak took ${((Date.now() - startedAt) / 1_000).toFixed(0)} s in all. Run report: ${report.path} ` +
      '(one HTML file, nothing loaded from the network)',
  );
  const timeouts = summary.invocations.reduce((sum, fn) => sum + fn.timeouts, 0);
  const timedOut = slowAws !== undefined && timeouts > 0;
  if (timedOut) console.log(`FAIL: ${timeouts} invocations ran past their timeout`);
  process.exitCode = conserved && !timedOut ? 0 : 1;
}
