import type { SQSBatchResponse } from 'aws-lambda';
import type { BatchRunner } from '../runners/batchRunner.js';
import { middyPartialBatchFailure } from '../runners/middy.js';
import { powertoolsBatch } from '../runners/powertools.js';
import { rawLoop } from '../runners/rawLoop.js';
import {
  emptyHookCounts,
  type HookCounts,
  sqsFailsafe,
  sqsFailsafeRetryPath,
} from '../runners/sqsFailsafe.js';
import { BenchCheckError, type Suite, type SummaryLine } from '../suite.js';
import { formatMicros, formatRatio, formatVerdict } from '../support/format.js';
import { benchLambdaContext } from '../support/lambdaContext.js';
import { type Timing, timeSideBySide } from '../support/measure.js';
import { type Library, loadShippedLibrary } from '../support/shippedLibrary.js';
import { type BatchSpec, type BenchBatch, buildBatch } from '../support/sqsBatch.js';
import { printTable } from '../support/table.js';

/**
 * Issue 2: the runtime's overhead against a hand-written loop and the two libraries people would use
 * instead, on the same events and the same record work, in one process.
 */

/**
 * Issue 16: on the happy path sqs-failsafe's ratio to raw is at most the lightest peer's (Middy's), and it
 * adds at most this much per record over the raw loop.
 */
const PEER_TO_MATCH = '@middy/sqs-partial-batch-failure';
const PER_RECORD_TARGET_US = 0.2;

/** Per runner and scenario: 0.2 s of warm-up, then 4 rotating rounds of 0.2 s each; ~20 s in all. */
const TIMING = { rounds: 4, minCpuTimeMs: 200 } as const;

type Scenario = BatchSpec & { readonly label: string };

const SCENARIOS: readonly Scenario[] = [
  { label: '10 records, all succeed', records: 10, failingShare: 0 },
  { label: '10 records, 20% fail', records: 10, failingShare: 0.2 },
  { label: '1,000 records, all succeed', records: 1_000, failingShare: 0 },
  { label: '1,000 records, 20% fail', records: 1_000, failingShare: 0.2 },
];

const FAIRNESS = [
  'Every runner gets the same pre-built events (records shaped like Lambda delivers them) and the same',
  'Lambda context (60 s remaining), and does the same work per record: one JSON.parse of the body and a',
  'small checksum, in an async function. Failing records (20%, every 5th) throw a PermanentError: every',
  'runner catches it, and sqs-failsafe classifies it not retryable, so each runner calls the work once per',
  'record. sqs-failsafe runs with retry { maxAttempts: 3, baseDelayMs: 100 } and onSuccess/onFailure/onRetry',
  'hooks (counters), timed as it ships (lib/ bundled with bundleLambda) just as Middy and Powertools',
  'run their published JavaScript. Middy gets a no-op logger instead of its default console.error per',
  'failure, and sqs-failsafe one instead of its default WARN line per failed record. Before timing, each',
  'runner runs once on each batch and must return the expected batchItemFailures.',
  'Row marked (†): failures throw a retryable error and are retried once after 0 ms, so it does twice the',
  'work on them; it shows the cost of the retry path and is not a like-for-like comparison.',
];

/** What a runner is in the comparison: the baseline, a peer library, ours, or the retry-path extra. */
type Role = 'raw' | 'peer' | 'ours' | 'retry path';

interface Row {
  readonly runner: BatchRunner;
  readonly role: Role;
  readonly timing: Timing;
}

interface ScenarioResult {
  readonly label: string;
  readonly records: number;
  readonly happyPath: boolean;
  readonly rows: readonly Row[];
}

export const suite: Suite = {
  title: 'Batch runners: µs per batch, in process',
  async run() {
    for (const line of FAIRNESS) console.log(line);
    const library = await loadShippedLibrary();
    // Every runner is checked on every batch before anything is timed, so a broken runner stops the
    // suite before it prints a single figure.
    const prepared: { scenario: Scenario; batch: BenchBatch; candidates: Candidate[] }[] = [];
    for (const scenario of SCENARIOS) {
      const batch = buildBatch(scenario);
      const candidates = candidatesFor(library, batch);
      for (const candidate of candidates) await check(candidate, batch);
      prepared.push({ scenario, batch, candidates });
    }
    const results: ScenarioResult[] = [];
    for (const { scenario, batch, candidates } of prepared) {
      const rows = await time(candidates, batch);
      console.log(`\n${scenario.label}`);
      printRows(rows);
      results.push({
        label: scenario.label,
        records: scenario.records,
        happyPath: scenario.failingShare === 0,
        rows,
      });
    }
    return { summary: summarise(results) };
  },
};

function printRows(rows: readonly Row[]): void {
  const raw = meanOf(rows, 'raw');
  const rawP50 = p50Of(rows, 'raw');
  printTable(
    [
      { header: 'runner' },
      { header: 'mean µs', align: 'right' },
      { header: 'p50 µs', align: 'right' },
      { header: 'p75 µs', align: 'right' },
      { header: '× raw', align: 'right' },
      { header: 'p50 × raw', align: 'right' },
    ],
    rows.map(({ runner, role, timing }) => [
      role === 'retry path' ? `${runner.name} (†)` : runner.name,
      formatMicros(timing.meanUs),
      formatMicros(timing.p50Us),
      formatMicros(timing.p75Us),
      formatRatio(timing.meanUs, raw),
      formatRatio(timing.p50Us, rawP50),
    ]),
  );
}

function meanOf(rows: readonly Row[], role: Role): number {
  return rows.find((row) => row.role === role)?.timing.meanUs ?? Number.NaN;
}

interface OverheadCost {
  readonly perRecordUs: number;
  readonly perBatchUs: number;
}

/**
 * A runner's cost over the raw loop, split into what each further record adds (the slope between the
 * smallest and the largest happy batch) and what every batch pays once (the rest of the small batch's).
 * Over raw divided by the records mixes the two: on 10 records the per-batch part (time budget, response,
 * hooks runner) is most of it, on 1,000 it vanishes.
 */
function overheadSplit(
  happy: readonly {
    records: number;
    mean: { overUs: number; peerOverUs: number };
    p50: { overUs: number; peerOverUs: number };
  }[],
  kind: 'mean' | 'p50',
): { ours: OverheadCost; peer: OverheadCost } {
  const bySize = [...happy].sort((a, b) => a.records - b.records);
  const small = bySize[0];
  const large = bySize.at(-1);
  if (small === undefined || large === undefined || small.records === large.records) {
    const nothing = { perRecordUs: Number.NaN, perBatchUs: Number.NaN };
    return { ours: nothing, peer: nothing };
  }
  const split = (over: (side: { overUs: number; peerOverUs: number }) => number): OverheadCost => {
    const perRecordUs = (over(large[kind]) - over(small[kind])) / (large.records - small.records);
    return { perRecordUs, perBatchUs: over(small[kind]) - perRecordUs * small.records };
  };
  return { ours: split((side) => side.overUs), peer: split((side) => side.peerOverUs) };
}

/** The median: on a shared machine a few slow samples move a mean far more than they move it. */
function p50Of(rows: readonly Row[], role: Role): number {
  return rows.find((row) => row.role === role)?.timing.p50Us ?? Number.NaN;
}

function peerOf(rows: readonly Row[], name: string): Row | undefined {
  return rows.find((row) => row.role === 'peer' && row.runner.name === name);
}

/** One line per scenario with every ratio, then the target, judged on the happy-path scenarios. */
function summarise(results: readonly ScenarioResult[]): SummaryLine[] {
  const lines: SummaryLine[] = results.map(({ label, rows }) => {
    const raw = meanOf(rows, 'raw');
    const ratios = rows
      .filter((row) => row.role === 'peer' || row.role === 'ours')
      .map((row) => `${row.runner.name} ${formatRatio(row.timing.meanUs, raw)}`);
    return { label, value: `raw ${formatMicros(raw)} µs; ${ratios.join(', ')}` };
  });
  const happy = results
    .filter((result) => result.happyPath)
    .map(({ label, records, rows }) => {
      const peer = peerOf(rows, PEER_TO_MATCH)?.timing;
      const by = (pick: (timing: Timing) => number) => {
        const raw = pick((rows.find((row) => row.role === 'raw') as Row).timing);
        const ours = pick((rows.find((row) => row.role === 'ours') as Row).timing);
        const peerValue = peer === undefined ? Number.NaN : pick(peer);
        return {
          ratio: ours / raw,
          peerRatio: peerValue / raw,
          perRecordUs: (ours - raw) / records,
          overUs: ours - raw,
          peerOverUs: peerValue - raw,
        };
      };
      return {
        label,
        records,
        mean: by((timing) => timing.meanUs),
        p50: by((timing) => timing.p50Us),
      };
    });
  const verdicts = (kind: 'mean' | 'p50') => {
    const peerMet = happy.every((result) => result[kind].ratio <= result[kind].peerRatio);
    const ratios = happy
      .map(({ label, ...result }) => {
        const { ratio, peerRatio } = result[kind];
        return `${ratio.toFixed(2)}× vs ${peerRatio.toFixed(2)}× (${label})`;
      })
      .join(', ');
    const overRaw = happy
      .map(({ label, ...result }) => `+${formatMicros(result[kind].perRecordUs)} µs (${label})`)
      .join(', ');
    const cost = overheadSplit(happy, kind);
    const perRecordMet = cost.ours.perRecordUs <= PER_RECORD_TARGET_US;
    return { peerMet, perRecordMet, ratios, overRaw, cost };
  };
  const mean = verdicts('mean');
  const p50 = verdicts('p50');
  const describeCost = ({ cost }: ReturnType<typeof verdicts>) =>
    `+${formatMicros(cost.ours.perRecordUs)} µs per record and +${formatMicros(cost.ours.perBatchUs)} µs ` +
    `per batch (${PEER_TO_MATCH}: +${formatMicros(cost.peer.perRecordUs)} µs and ` +
    `+${formatMicros(cost.peer.perBatchUs)} µs)`;
  console.log(
    `\nTarget: sqs-failsafe's × raw ≤ ${PEER_TO_MATCH}'s on the happy path: by mean ${mean.ratios} -> ` +
      `${formatVerdict(mean.peerMet)}; by p50 ${p50.ratios} -> ${formatVerdict(p50.peerMet)}`,
  );
  // The ratio depends on how cheap the record work is; the absolute cost is what a real handler adds to.
  console.log(
    `Target: sqs-failsafe's own cost over the raw loop ≤ ${PER_RECORD_TARGET_US} µs per record (what each ` +
      `further record adds, from the 10- and 1,000-record batches): by mean ${describeCost(mean)} -> ` +
      `${formatVerdict(mean.perRecordMet)}; by p50 ${describeCost(p50)} -> ${formatVerdict(p50.perRecordMet)}`,
  );
  console.log(`  over raw, divided by the records: by mean ${mean.overRaw}; by p50 ${p50.overRaw}`);
  lines.push({
    label: `target, sqs-failsafe × raw ≤ ${PEER_TO_MATCH}'s (mean)`,
    value: mean.ratios,
    met: mean.peerMet,
  });
  lines.push({ label: '  the same by p50', value: p50.ratios, met: p50.peerMet });
  lines.push({
    label: `target, sqs-failsafe over raw ≤ ${PER_RECORD_TARGET_US} µs per record (mean)`,
    value: describeCost(mean),
    met: mean.perRecordMet,
  });
  lines.push({ label: '  the same by p50', value: describeCost(p50), met: p50.perRecordMet });
  lines.push({ label: '  over raw ÷ records (mean)', value: mean.overRaw });
  return lines;
}

function candidatesFor(library: Library, batch: BenchBatch): Candidate[] {
  const counts = emptyHookCounts();
  const candidates: Candidate[] = [
    { runner: rawLoop, role: 'raw' },
    { runner: middyPartialBatchFailure, role: 'peer' },
    { runner: powertoolsBatch, role: 'peer' },
    { runner: sqsFailsafe(library, counts), role: 'ours', counts, retries: 0 },
  ];
  if (batch.failingIds.length > 0) {
    const retryCounts = emptyHookCounts();
    candidates.push({
      runner: sqsFailsafeRetryPath(library, retryCounts),
      role: 'retry path',
      counts: retryCounts,
      retries: batch.failingIds.length,
    });
  }
  return candidates;
}

async function time(candidates: readonly Candidate[], batch: BenchBatch): Promise<Row[]> {
  const timings = await timeSideBySide(
    candidates.map(
      ({ runner }) =>
        () =>
          runner.handle(batch.event, benchLambdaContext),
    ),
    TIMING,
  );
  return candidates.map(({ runner, role }, index) => ({ runner, role, timing: timings[index] as Timing }));
}

interface Candidate {
  readonly runner: BatchRunner;
  readonly role: Role;
  /** For sqs-failsafe: what its hooks saw, and how many retries they must have seen. */
  readonly counts?: HookCounts;
  readonly retries?: number;
}

/**
 * Runs a runner once, untimed, and insists on the expected response (and, for sqs-failsafe, on hooks that
 * saw every record): a runner that quietly does less would otherwise look fast.
 */
async function check(candidate: Candidate, batch: BenchBatch): Promise<void> {
  const { runner, counts, retries } = candidate;
  const expected = [...batch.failingIds].sort();
  const response: SQSBatchResponse | undefined = await runner.handle(batch.event, benchLambdaContext);
  const reported = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier).sort();
  const problems: string[] = [];
  if (reported.join() !== expected.join()) {
    problems.push(`reported ${reported.length} failures, expected ${expected.length} (the rejected records)`);
  }
  if (counts !== undefined) {
    const total = batch.event.Records.length;
    const want = { succeeded: total - expected.length, failed: expected.length, retried: retries ?? 0 };
    if (JSON.stringify(counts) !== JSON.stringify(want)) {
      problems.push(`hooks saw ${JSON.stringify(counts)}, expected ${JSON.stringify(want)}`);
    }
    Object.assign(counts, emptyHookCounts());
  }
  if (problems.length > 0) {
    throw new BenchCheckError(
      `${runner.name} on ${batch.event.Records.length} records: ${problems.join('; ')}`,
    );
  }
}
