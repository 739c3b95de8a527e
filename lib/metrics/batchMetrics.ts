import type { MetricCounter } from '../types.js';
import type { MetricName } from './metricNames.js';

/** Counts for one invocation, added to by the runner and the stages. */
export class BatchMetrics implements MetricCounter {
  readonly #values = new Map<MetricName, number>();

  add(name: MetricName, value: number): void {
    this.#values.set(name, (this.#values.get(name) ?? 0) + value);
  }

  get values(): ReadonlyMap<MetricName, number> {
    return this.#values;
  }
}
