import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { accountRun, type RunFigures } from '../failureCost/accountRun.js';
import {
  callsTable,
  costTable,
  fixedCostTable,
  formatWait,
  functionsTable,
  markdownTable,
  priceTable,
  scenarioTable,
  type TextTable,
} from '../failureCost/report.js';
import { runInProcess } from '../failureCost/runInProcess.js';
import type { FixedResources, RunRecord } from '../failureCost/runRecord.js';
import { loadRun, saveRun, templateSha256 } from '../failureCost/savedRuns.js';
import { SCENARIOS, TRAFFIC_MINUTES } from '../failureCost/scenarios.js';
import { CONTENDERS, type Contender, synthesizeStacks } from '../failureCost/stacks/synthesizeStacks.js';
import { BenchCheckError, type Suite, type SummaryLine } from '../suite.js';
import { BENCH_OUT } from '../support/paths.js';
import { printTable } from '../support/table.js';

/**
 * Issue 16: what failures cost end to end, on the local runtime. Each scenario's traffic goes through the
 * same three stacks (sqs-failsafe with its defaults, Powertools batch and Middy's partial-batch middleware
 * with AWS's documented queue setup), and every invocation, billed millisecond and AWS call is counted and
 * priced. Settings (environment variables, for a shorter run): FAILURE_COST_MESSAGES (10000),
 * FAILURE_COST_TIME_SCALE (20), FAILURE_COST_SCENARIOS and FAILURE_COST_STACKS (comma-separated ids), and
 * FAILURE_COST_REUSE (stacks reported from their last saved run instead of run again; savedRuns.ts).
 */
const settings = {
  messages: integerSetting('FAILURE_COST_MESSAGES', 10_000),
  timeScale: integerSetting('FAILURE_COST_TIME_SCALE', 20),
  seed: integerSetting('FAILURE_COST_SEED', 16),
  scenarios: listSetting(
    'FAILURE_COST_SCENARIOS',
    SCENARIOS.map((scenario) => scenario.id),
  ),
  stacks: listSetting(
    'FAILURE_COST_STACKS',
    CONTENDERS.map((contender) => contender.id),
  ) as Contender['id'][],
  reuse: listSetting(
    'FAILURE_COST_REUSE',
    CONTENDERS.map((contender) => contender.id),
    [],
  ),
};

/** The markdown tables' file in the suite's output folder, and the folder of the saved runs. */
const REPORT_NAME = 'report';
const RUNS_FOLDER = 'runs';

/** The downstream answers in this long; each AWS call a function makes takes this much more than locally. */
const DOWNSTREAM_LATENCY_MS = 10;
const AWS_CALL_LATENCY_MS = 10;

export const suite: Suite = {
  title: 'Failure cost: three stacks, three ways to fail (local runtime)',
  async run() {
    const started = Date.now();
    const loadAtStart = loadavg()[0] ?? 0;
    const outputDirectory = join(BENCH_OUT, 'failure-cost');
    const runsDirectory = join(outputDirectory, RUNS_FOLDER);
    console.log(
      `${settings.messages.toLocaleString('en-US')} messages per scenario over ${TRAFFIC_MINUTES} min of AWS time, ` +
        `time scale ${settings.timeScale}x; downstream ${DOWNSTREAM_LATENCY_MS} ms, AWS calls +${AWS_CALL_LATENCY_MS} ms`,
    );
    console.log('Synthesizing the stacks...');
    const assemblies = synthesizeStacks(outputDirectory, {
      timeScale: settings.timeScale,
      contenders: settings.stacks,
    });
    const labels = new Map(CONTENDERS.map((contender) => [contender.id as string, contender.label]));
    const fixed = new Map<string, FixedResources>();
    // When each reused run was measured, by stack, scenario after scenario: the report names them all.
    const reusedFrom = new Map<string, string[]>();
    const all: RunFigures[] = [];
    const markdown: string[] = [];
    for (const scenario of SCENARIOS.filter((candidate) => settings.scenarios.includes(candidate.id))) {
      console.log(`\n-- ${scenario.title} [${scenario.id}] --`);
      const runStarted = Date.now();
      // One run at a time, each in a fresh process: on this 2-core machine, runs side by side would slow
      // one another's invocations (and their GB-seconds) several times over.
      const records: RunRecord[] = [];
      for (const contender of CONTENDERS.filter((candidate) => assemblies.has(candidate.id))) {
        const assemblyDirectory = assemblies.get(contender.id) as string;
        const identity = {
          scenario: scenario.id,
          contender: contender.id,
          messages: settings.messages,
          seed: settings.seed,
          timeScale: settings.timeScale,
          templateSha256: templateSha256(assemblyDirectory, `FailureCost-${contender.id}`),
        };
        if (settings.reuse.includes(contender.id)) {
          const saved = loadRun(runsDirectory, identity);
          console.log(`  ${contender.label}: the run saved at ${saved.measuredAt} (same stack and traffic)`);
          reusedFrom.set(contender.label, [...(reusedFrom.get(contender.label) ?? []), saved.measuredAt]);
          records.push(saved.record);
          continue;
        }
        console.log(`  ${contender.label}`);
        const record = await runInProcess(
          {
            contender: contender.id,
            assemblyDirectory,
            scenarioId: scenario.id,
            messages: settings.messages,
            seed: settings.seed,
            timeScale: settings.timeScale,
            trafficMinutes: TRAFFIC_MINUTES,
            quietMinutes: 15,
            maxMinutes: 240,
            downstreamLatencyMs: DOWNSTREAM_LATENCY_MS,
            awsCallLatencyMs: AWS_CALL_LATENCY_MS,
            outputFile: join(outputDirectory, `${scenario.id}-${contender.id}.json`),
          },
          '    ',
        );
        saveRun(runsDirectory, {
          measuredAt: new Date().toISOString(),
          seed: settings.seed,
          templateSha256: identity.templateSha256,
          record,
        });
        records.push(record);
      }
      const figures = records.map((record) => {
        fixed.set(record.contender, record.fixed);
        return accountRun(record);
      });
      all.push(...figures);
      console.log(`  done in ${((Date.now() - runStarted) / 1_000).toFixed(0)} s`);
      const tables = [scenarioTable(figures, labels), costTable(figures, labels)];
      const calls = callsTable(figures, labels);
      const functions = functionsTable(figures, labels);
      for (const table of [...tables, functions, calls]) {
        console.log('');
        printTable(table.columns, table.rows);
      }
      markdown.push(
        `#### ${scenario.title}`,
        '',
        ...tables.flatMap((table) => [markdownTable(table), '']),
        '<details><summary>Functions, and API calls by operation</summary>',
        '',
        markdownTable(functions),
        '',
        markdownTable(calls),
        '',
        '</details>',
        '',
      );
    }
    const fixedTable = fixedCostTable(
      CONTENDERS.filter((contender) => fixed.has(contender.id)).map((contender) => ({
        label: contender.label,
        fixed: fixed.get(contender.id) as FixedResources,
      })),
    );
    console.log('');
    printTable(fixedTable.columns, fixedTable.rows);
    const minutes = (Date.now() - started) / 60_000;
    // Durations (and GB-seconds) move with whatever else runs on the machine: say how busy it was.
    const load = `load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end`;
    console.log(`The suite took ${minutes.toFixed(1)} min; ${load}.`);
    const reused = [...reusedFrom].map(([label, at]) => `${label} from its runs saved at ${at.join(', ')}`);
    const conditions = [`the suite took ${minutes.toFixed(0)} min, ${load}`, ...reused];
    writeReport(outputDirectory, markdown, fixedTable, conditions.join('; '));
    return { summary: summaryLines(all, labels) };
  },
};

/** The tables as markdown, ready for docs/benchmarks.md, with the date and the machine. */
function writeReport(
  directory: string,
  scenarios: readonly string[],
  fixed: TextTable,
  conditions: string,
): void {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; ${settings.messages.toLocaleString('en-US')} messages per scenario, time scale ${settings.timeScale}x; ${conditions}.`,
    '',
    ...scenarios,
    '#### Fixed monthly costs',
    '',
    markdownTable(fixed),
    '',
    '#### Prices',
    '',
    markdownTable(priceTable()),
    '',
  ];
  const file = join(directory, `${REPORT_NAME}.md`);
  writeFileSync(file, lines.join('\n'));
  console.log(`Markdown tables: ${file}`);
}

/** Issue 16's targets for sqs-failsafe, scenario by scenario. */
function summaryLines(figures: readonly RunFigures[], labels: ReadonlyMap<string, string>): SummaryLine[] {
  const lines: SummaryLine[] = [];
  for (const scenario of new Set(figures.map((figure) => figure.scenario))) {
    const runs = figures.filter((figure) => figure.scenario === scenario);
    const ours = runs.find((figure) => figure.contender === 'sqs-failsafe');
    const peers = runs.filter((figure) => figure.contender !== 'sqs-failsafe');
    if (ours === undefined) continue;
    if (!ours.settled) throw new BenchCheckError(`sqs-failsafe did not settle in the ${scenario} scenario`);
    const cheapestPeer = Math.min(...peers.map((peer) => peer.dollarsPerMillionMessages));
    if (peers.length > 0) {
      lines.push({
        label: `${scenario}: cost per 1M messages, sqs-failsafe vs the cheapest peer`,
        value: `$${ours.dollarsPerMillionMessages.toFixed(4)} vs $${cheapestPeer.toFixed(4)} (${(ours.dollarsPerMillionMessages / cheapestPeer).toFixed(2)}×)`,
        met: ours.dollarsPerMillionMessages <= cheapestPeer,
      });
    }
    const peerP99 = peers.flatMap((peer) =>
      peer.timeToSuccess === undefined ? [] : [peer.timeToSuccess.p99],
    );
    if (scenario === 'transient' && ours.timeToSuccess !== undefined && peerP99.length > 0) {
      const ratio = Math.min(...peerP99) / ours.timeToSuccess.p99;
      lines.push({
        label: 'transient: p99 time to success, the peers’ setup vs sqs-failsafe (target ≥ 10×)',
        value: `${formatWait(Math.min(...peerP99))} vs ${formatWait(ours.timeToSuccess.p99)} (${ratio.toFixed(0)}×)`,
        met: ratio >= 10,
      });
    }
    lines.push({
      label: `${scenario}: healthy messages dead-lettered by ${labels.get('sqs-failsafe')} (target 0)`,
      value: count(ours.healthyDeadLettered),
      met: ours.healthyDeadLettered === 0,
    });
  }
  return lines;
}

const count = (value: number) => value.toLocaleString('en-US');

function integerSetting(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new BenchCheckError(`${name} must be a whole number >= 1, not "${text}"`);
  return value;
}

function listSetting(name: string, known: readonly string[], fallback: readonly string[] = known): string[] {
  const text = process.env[name];
  if (text === undefined || text === '') return [...fallback];
  const wanted = text.split(',').map((item) => item.trim());
  const unknown = wanted.filter((item) => !known.includes(item));
  if (unknown.length > 0)
    throw new BenchCheckError(`${name}: unknown ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return wanted;
}
