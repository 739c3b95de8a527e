import type { LiveTimeline } from '../consoleApi.js';

/** Where the console's live view reads the local pipeline from (`npm start -- --console`). */
export interface LiveSource {
  timeline(): LiveTimeline;
}

/** Samples kept; past it every other old sample is dropped, so a long run keeps its whole shape. */
const MAX_SAMPLES = 2_000;

/**
 * A timeline recorded as the pipeline runs: at each sample, one value per series (processed, retried,
 * dead-lettered, ...). Series appear when first recorded; earlier samples read 0 for them.
 *
 * @example
 * const live = new TimelineRecorder();
 * live.record({ processed: 120, deadLettered: 3 });
 */
export class TimelineRecorder implements LiveSource {
  #at: number[] = [];
  #series = new Map<string, number[]>();

  record(values: Readonly<Record<string, number>>, at: number = Date.now()): void {
    const index = this.#at.length;
    this.#at.push(at / 1_000);
    for (const [name, value] of Object.entries(values)) {
      let series = this.#series.get(name);
      if (series === undefined) {
        series = new Array<number>(index).fill(0);
        this.#series.set(name, series);
      }
      series.push(value);
    }
    // A series not recorded this time keeps its last value.
    for (const series of this.#series.values()) if (series.length === index) series.push(series.at(-1) ?? 0);
    if (this.#at.length > MAX_SAMPLES) this.#thin();
  }

  timeline(): LiveTimeline {
    return {
      at: [...this.#at],
      series: Object.fromEntries([...this.#series].map(([name, values]) => [name, [...values]])),
    };
  }

  /** Halves the older half of the samples. */
  #thin(): void {
    const half = Math.floor(this.#at.length / 2);
    const keep = (_: number, index: number) => index >= half || index % 2 === 0;
    this.#at = this.#at.filter(keep);
    for (const [name, values] of this.#series) this.#series.set(name, values.filter(keep));
  }
}
