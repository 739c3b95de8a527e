import cliProgress from 'cli-progress';
import type { RunSample } from './runSample.js';
import type { Wait } from './waitingFor.js';

/** How far back the rate looks: a rate since the start would fall through a stall and say nothing. */
const RATE_WINDOW_MS = 5_000;
/** Without a terminal: at most one progress line this often, and only when a figure changed. */
const LINE_EVERY_MS = 5_000;
/** The run counts as stalled, and says what it waits for, after this long without a message done. */
const STALLED_AFTER_MS = 2_000;

/**
 * The live progress of a demo run. On a terminal: one display redrawn in place, a bar with the figures and
 * a line saying what the run waits for, with events (alarms, the consumer paused) printed above it. Without
 * one (CI logs, a pipe): a line when the figures changed (at most every few seconds), and, once progress
 * stalls, a `waiting:` line whenever what it waits for changes; never the same line twice.
 */
export class ProgressDisplay {
  readonly #total: number;
  readonly #write: (line: string) => void;
  readonly #display: cliProgress.MultiBar | undefined;
  readonly #bars: { progress: cliProgress.SingleBar; waiting: cliProgress.SingleBar } | undefined;
  readonly #history: { at: number; processed: number }[] = [];
  #lastFigures = '';
  #lastLineAt = 0;
  #lastWaits = '';
  #lastDone = -1;
  #doneChangedAt = 0;
  #stopped = false;

  constructor(
    total: number,
    options: {
      readonly write: (line: string) => void;
      readonly interactive: boolean;
      readonly stream?: NodeJS.WriteStream;
    },
  ) {
    this.#total = total;
    this.#write = options.write;
    if (!options.interactive) return;
    this.#display = new cliProgress.MultiBar(
      {
        stream: options.stream ?? process.stdout,
        hideCursor: true,
        clearOnComplete: false,
        linewrap: false,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    this.#bars = {
      progress: this.#display.create(total, 0, figures(0, undefined, 0), {
        format:
          '{bar} {done}/{total} done | {processed} processed, {retried} retried, {dlq} in the DLQ, {redriven} redriven | {rate} msg/s',
      }),
      waiting: this.#display.create(1, 0, { waiting: '' }, { format: '  {waiting}' }),
    };
  }

  update(sample: RunSample, waits: readonly Wait[]): void {
    if (this.#stopped) return;
    const rate = this.#rate(sample);
    const values = figures(this.#total, sample, rate);
    if (values.done !== this.#lastDone) {
      this.#lastDone = values.done;
      this.#doneChangedAt = sample.at;
    }
    // A stall is worth explaining; while messages flow, the waits are the normal course of things.
    const stalled = sample.at - this.#doneChangedAt >= STALLED_AFTER_MS && waits.length > 0;
    const waiting = stalled ? `waiting: ${waits.map((wait) => wait.text).join('; ')}` : '';
    if (this.#bars !== undefined) {
      this.#bars.progress.update(Math.min(values.done, this.#total), values);
      this.#bars.waiting.update(0, {
        waiting:
          waiting ||
          `${sample.inFlight} in invocations, ${sample.inBackoff} in backoff, ${sample.visible} waiting for a consumer`,
      });
      return;
    }
    const figuresLine =
      `  ${values.done}/${this.#total} done: ${values.processed} processed, ${values.retried} retried, ` +
      `${values.dlq} in the DLQ, ${values.redriven} redriven`;
    if (
      figuresLine !== this.#lastFigures &&
      (sample.at - this.#lastLineAt >= LINE_EVERY_MS || values.done >= this.#total)
    ) {
      this.#write(`${figuresLine}, ${rate} msg/s`);
      this.#lastFigures = figuresLine;
      this.#lastLineAt = sample.at;
    }
    // A new kind of wait is news; the same wait with its numbers ticking is not.
    const kinds = stalled ? waits.map((wait) => wait.kind).join(',') : '';
    if (kinds !== this.#lastWaits) {
      if (kinds !== '') this.#write(`  ${waiting}`);
      this.#lastWaits = kinds;
    }
  }

  /** An event line: above the live display on a terminal, a line of its own otherwise. */
  log(line: string): void {
    if (this.#display !== undefined && !this.#stopped) this.#display.log(`${line}\n`);
    else this.#write(line);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#bars?.waiting.update(0, { waiting: '' });
    this.#display?.stop();
  }

  /** Messages processed per second over the last few seconds. */
  #rate(sample: RunSample): number {
    this.#history.push({ at: sample.at, processed: sample.totals.processed });
    while ((this.#history[0]?.at ?? sample.at) < sample.at - RATE_WINDOW_MS) this.#history.shift();
    const first = this.#history[0];
    if (first === undefined || sample.at - first.at < 500) return 0;
    return Math.round(((sample.totals.processed - first.processed) * 1_000) / (sample.at - first.at));
  }
}

function figures(total: number, sample: RunSample | undefined, rate: number) {
  const totals = sample?.totals;
  return {
    total,
    done: (totals?.processed ?? 0) + (totals?.deadLettered ?? 0),
    processed: totals?.processed ?? 0,
    retried: totals?.retried ?? 0,
    dlq: totals?.deadLettered ?? 0,
    redriven: totals?.redriven ?? 0,
    rate,
  };
}
