import cliProgress from 'cli-progress';

export interface ProgressView {
  /** Starts (or restarts) the bar with a total. */
  start(total: number): void;
  update(value: number, fields: Readonly<Record<string, string | number>>): void;
  stop(): void;
}

const SILENT: ProgressView = { start() {}, update() {}, stop() {} };

/**
 * The bar's line. A dry run moves nothing, so its bar says what would move, and counts no rate of moves.
 */
export function redriveProgressFormat(dryRun: boolean): string {
  return dryRun
    ? 'Dry run |{bar}| {value}/{total} inspected | {moved} would move, {skipped} skipped, {failed} failed | ETA {eta_formatted}'
    : 'Redriving |{bar}| {value}/{total} handled | {moved} moved, {skipped} skipped, {failed} failed | {rate} msg/s | ETA {eta_formatted}';
}

/**
 * A progress bar on stderr for long runs (cli-progress), shown only to a person: not when stderr is not a
 * terminal, and not with --json, so piped and scripted output stays clean.
 */
export function progressBar(
  enabled: boolean,
  options: { readonly dryRun?: boolean; readonly format?: string },
  stream: NodeJS.WriteStream = process.stderr,
): ProgressView {
  if (!enabled || !stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: options.format ?? redriveProgressFormat(options.dryRun ?? false),
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    start(total) {
      if (started) bar.setTotal(total);
      else bar.start(Math.max(1, total), 0, { moved: 0, skipped: 0, failed: 0, rate: 0 });
      started = true;
    },
    update(value, fields) {
      if (!started) return;
      if (value > bar.getTotal()) bar.setTotal(value);
      bar.update(value, fields);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
