import { spawnSync } from 'node:child_process';
import { runReportPath, writeRunReport } from './report/runReport.js';
import { runDemo, runDescription } from './runDemo.js';
import { parseFaultMix } from './traffic/faultMix.js';

/**
 * `npm run soak`: the conservation run at scale (20,000 messages by default, SOAK_MESSAGES to change it)
 * with every fault injected, printing the figures and writing a run report. Exit code 1 if any message is
 * lost or stuck.
 *
 * `npm run soak -- --model`: the model-based property (test/model, docs/testing.md) at 10,000 runs of up to
 * 200 commands (MODEL_RUNS to change it) with a fresh seed, printed so a failure can be replayed.
 */
if (process.argv.includes('--model')) {
  const runs = process.env.MODEL_RUNS ?? '10000';
  const seed = process.env.MODEL_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
  console.log(`Model soak: ${runs} runs of up to 200 commands, seed ${seed} (MODEL_SEED=${seed} replays it)`);
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'model', 'test/model/conservation.test.ts'], {
    stdio: 'inherit',
    env: { ...process.env, MODEL_RUNS: runs, MODEL_SEED: seed },
  });
  process.exitCode = run.status ?? 1;
} else {
  const messages = Number(process.env.SOAK_MESSAGES ?? 20_000);
  const faults = 'transient=0.05,flaky=0.05,permanent=0.02,slow=0.004,timeout=0.002,sns=0.3,throttle=0.05';
  console.log(`Soak: ${messages} messages, faults ${faults}, 5 s function timeout`);
  const startedAt = Date.now();
  const { conserved, summary, timeline } = await runDemo({
    projectDirectory: process.cwd(),
    assemblyDirectory: '.local-runtime/soak',
    synth: 'auto',
    context: { 'sqs-failsafe:functionTimeoutSeconds': '5' },
    messages,
    faults: parseFaultMix(faults),
    seed: 20_261_124,
    timeScale: 60,
    port: 0,
    region: 'us-east-1',
    maxWaitSeconds: 1_800,
    keepRunning: false,
    verbose: false,
    write: (line) => console.log(line),
  });
  const report = await writeRunReport(runReportPath(process.cwd(), 'soak'), {
    title: 'npm run soak: every fault at scale',
    subtitle: runDescription(messages, faults, 60),
    runs: [{ heading: 'The soak', summary, timeline }],
  });
  console.log(
    `\nSoak took ${((Date.now() - startedAt) / 1_000).toFixed(0)} s in all. Run report: ${report.path} ` +
      '(one HTML file, nothing loaded from the network)',
  );
  process.exitCode = conserved ? 0 : 1;
}
