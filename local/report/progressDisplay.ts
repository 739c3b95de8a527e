import cliProgress from 'cli-progress';
import type { LedgerTotals } from './conservationLedger.js';

/**
 * Live progress of a demo run: one bar on a terminal, a line every few seconds otherwise (CI logs).
 */
export class ProgressDisplay {
  readonly #bar: cliProgress.SingleBar | undefined;
  #lastLine = 0;
  readonly #startedAt = Date.now();

  constructor(
    private readonly total: number,
    private readonly write: (line: string) => void,
    interactive = process.stdout.isTTY === true,
  ) {
    this.#bar = interactive
      ? new cliProgress.SingleBar(
          {
            format:
              '{bar} {percentage}% | done {done}/{total} | processed {processed} | retried {retried} | DLQ {dlq} | ' +
              'redriven {redriven} | {rate} msg/s',
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    this.#bar?.start(total, 0, placeholders());
  }

  update(totals: LedgerTotals): void {
    const done = totals.processed + totals.deadLettered;
    const seconds = (Date.now() - this.#startedAt) / 1_000;
    const values = {
      done,
      processed: totals.processed,
      retried: totals.retried,
      dlq: totals.deadLettered,
      redriven: totals.redriven,
      rate: seconds > 0 ? Math.round(totals.processed / seconds) : 0,
    };
    if (this.#bar !== undefined) {
      this.#bar.update(Math.min(done, this.total), values);
      return;
    }
    if (Date.now() - this.#lastLine < 3_000) return;
    this.#lastLine = Date.now();
    this.write(
      `  ${done}/${this.total} done: ${values.processed} processed, ${values.retried} retried, ${values.dlq} in DLQ, ` +
        `${values.redriven} redriven, ${values.rate} msg/s`,
    );
  }

  stop(): void {
    this.#bar?.stop();
  }
}

function placeholders() {
  return { done: 0, processed: 0, retried: 0, dlq: 0, redriven: 0, rate: 0 };
}
