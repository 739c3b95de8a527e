import type { AlarmTimelineEntry } from './alarmTimeline.js';
import type { RunSample } from './runSample.js';

/** Everything a run report draws: samples over time, alarm changes, and the consumer's pauses. */
export interface RunTimeline {
  /** Epoch ms when the first message was sent. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Waits ran this much faster than on AWS. */
  readonly timeScale: number;
  readonly samples: readonly RunSample[];
  readonly alarms: readonly AlarmTimelineEntry[];
  /** The consumer's event source mapping paused (false) or resumed (true), by the circuit breaker. */
  readonly mappingChanges: readonly { readonly at: number; readonly enabled: boolean }[];
}

/** Samples closer together than this are not kept: a report of a 20-minute run stays small. */
const SAMPLE_EVERY_MS = 1_000;

/** Collects a run's timeline as it goes. */
export class RunRecorder {
  readonly #samples: RunSample[] = [];
  readonly #alarms: AlarmTimelineEntry[] = [];
  readonly #mappingChanges: { at: number; enabled: boolean }[] = [];
  #startedAt: number | undefined;

  constructor(private readonly timeScale: number) {}

  start(at = Date.now()): void {
    this.#startedAt = at;
  }

  /** Keeps the sample if a second has passed since the last kept one (or it is the last: `final`). */
  record(sample: RunSample, final = false): void {
    const last = this.#samples.at(-1);
    if (final || last === undefined || sample.at - last.at >= SAMPLE_EVERY_MS) this.#samples.push(sample);
  }

  alarm(entry: AlarmTimelineEntry): void {
    this.#alarms.push(entry);
  }

  mapping(enabled: boolean, at = Date.now()): void {
    this.#mappingChanges.push({ at, enabled });
  }

  get alarms(): readonly AlarmTimelineEntry[] {
    return this.#alarms;
  }

  timeline(endedAt = Date.now()): RunTimeline {
    return {
      startedAt: this.#startedAt ?? this.#samples[0]?.at ?? endedAt,
      endedAt,
      timeScale: this.timeScale,
      samples: [...this.#samples],
      alarms: [...this.#alarms],
      mappingChanges: [...this.#mappingChanges],
    };
  }
}
