import { BenchCheckError, type Suite, type SummaryLine } from './suite.js';
import { formatVerdict } from './support/format.js';

/**
 * A suite is loaded only when it runs, so one suite's dependencies never weigh on another's timings.
 * Adding a suite is one line here. A suite marked `onlyWhenNamed` (it takes many minutes) is left out of
 * a run that names no suite.
 */
const SUITES: readonly {
  readonly name: string;
  readonly load: () => Promise<Suite>;
  readonly onlyWhenNamed?: boolean;
}[] = [
  { name: 'batch', load: async () => (await import('./suites/batchRunners.js')).suite },
  { name: 'cold-start', load: async () => (await import('./suites/workerColdStart.js')).suite },
  { name: 'aws-calls', load: async () => (await import('./suites/awsCallsPerInvocation.js')).suite },
  { name: 'redrive', load: async () => (await import('./suites/redriveThroughput.js')).suite },
  { name: 'console', load: async () => (await import('./suites/consoleTriage.js')).suite },
  {
    name: 'failure-cost',
    load: async () => (await import('./suites/failureCost.js')).suite,
    onlyWhenNamed: true,
  },
];

const requested = process.argv.slice(2).filter((argument) => argument !== '--');
const unknown = requested.filter((name) => !SUITES.some((suite) => suite.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown suite: ${unknown.join(', ')}. Suites: ${SUITES.map((suite) => suite.name).join(', ')}`,
  );
  process.exit(2);
}

console.log(`sqs-failsafe benchmarks: Node ${process.version}, ${process.platform}/${process.arch}`);
const summaries: { title: string; lines: readonly SummaryLine[] }[] = [];
let broken = false;
for (const entry of SUITES) {
  if (requested.length > 0 ? !requested.includes(entry.name) : entry.onlyWhenNamed === true) continue;
  const suite = await entry.load();
  console.log(`\n== ${suite.title} [${entry.name}] ==\n`);
  try {
    summaries.push({ title: suite.title, lines: (await suite.run()).summary });
  } catch (error) {
    if (!(error instanceof BenchCheckError)) throw error;
    // A check that fails means the suite's numbers would be meaningless: say why, skip them, fail the run.
    console.error(`CHECK FAILED: ${error.message}`);
    broken = true;
  }
}

const skipped = requested.length > 0 ? [] : SUITES.filter((entry) => entry.onlyWhenNamed === true);
for (const entry of skipped)
  console.log(`\n(${entry.name} runs only when named: npm run bench -- ${entry.name})`);

console.log('\n== Summary ==');
for (const { title, lines } of summaries) {
  console.log(`\n${title}`);
  for (const { label, value, met } of lines) {
    console.log(`  ${label}: ${value}${met === undefined ? '' : ` [${formatVerdict(met)}]`}`);
  }
}
if (broken) {
  console.error('\nA suite failed its checks: its figures were not printed (see CHECK FAILED above).');
  process.exitCode = 1;
}
