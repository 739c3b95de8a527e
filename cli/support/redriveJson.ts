import type { RedriveReport } from '../../lib/redrive/redriveReport.js';
import { withFlagNames } from './flagNames.js';

/** A dry run's report, as `redrive --dry-run --json` prints it: nothing moved, so nothing says "moved". */
export type DryRunJson = Omit<RedriveReport, 'moved' | 'parked' | 'deleted' | 'movedByDestination'> & {
  readonly wouldMove: number;
  readonly wouldPark: number;
  readonly wouldDelete: number;
  readonly wouldMoveByDestination: RedriveReport['movedByDestination'];
};

/**
 * What `redrive --json` prints: the engine's RedriveReport, with its strategy reason in the CLI's flag
 * names; for a dry run, `moved`, `parked`, `deleted` and `movedByDestination` are renamed `wouldMove`,
 * `wouldPark`, `wouldDelete` and `wouldMoveByDestination`, as the per-message actions already say
 * `would-move`, `would-park` and `would-delete`.
 * A deliberate difference from the library's report, documented in docs/redrive.md ("The CLI"): a script
 * reading `moved` from a dry run would take "would" for "did".
 *
 * @example
 * process.stdout.write(JSON.stringify(redriveJson(report), null, 2));
 */
export function redriveJson(report: RedriveReport): RedriveReport | DryRunJson {
  const strategyReason = withFlagNames(report.strategyReason);
  if (!report.dryRun) return { ...report, strategyReason };
  const { moved, parked, deleted, movedByDestination, ...rest } = report;
  return {
    ...rest,
    strategyReason,
    wouldMove: moved,
    wouldPark: parked,
    wouldDelete: deleted,
    wouldMoveByDestination: movedByDestination,
  };
}
