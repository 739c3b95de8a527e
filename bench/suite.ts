/**
 * What a benchmark suite is. `bench/index.ts` runs suites in order; each prints its own tables while it
 * runs and hands back the lines for the closing summary.
 */
export interface Suite {
  /** Heading printed above the suite's output. */
  readonly title: string;
  run(): Promise<SuiteReport>;
}

export interface SuiteReport {
  /** Headline figures and targets, printed again in the summary at the end. */
  readonly summary: readonly SummaryLine[];
}

/**
 * One line of the summary. A line with `met` is a target (printed as met or MISSED); without it, a plain
 * figure. Missing a target does not fail the run: timings move with the machine, so only a broken check
 * (see {@link BenchCheckError}) makes the exit code non-zero.
 */
export interface SummaryLine {
  readonly label: string;
  readonly value: string;
  readonly met?: boolean;
}

/**
 * A suite found that what it was about to time is wrong (runners disagree, the bundle loads what it must
 * not): its numbers would mean nothing, so the run fails instead of printing them.
 */
export class BenchCheckError extends Error {
  override name = 'BenchCheckError';
}
