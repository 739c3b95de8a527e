import type { MetricCounter } from '../types.js';
import type { MetricName } from './metricNames.js';

/** Counts for one invocation, added to by the runner and the stages. */
export class BatchMetrics implements MetricCounter {
  // Created on the first count: a healthy batch counts nothing, and a Map per batch is not free.
  #values: Map<MetricName, number> | undefined;

  add(name: MetricName, value: number): void {
    this.#values ??= new Map();
    this.#values.set(name, (this.#values.get(name) ?? 0) + value);
  }

  get values(): ReadonlyMap<MetricName, number> {
    this.#values ??= new Map();
    return this.#values;
  }
}
