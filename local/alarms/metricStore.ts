import type { MetricDimension } from '../provision/localResources.js';

interface Datapoint {
  readonly at: number;
  readonly value: number;
}

/**
 * Datapoints the local runtime observed, by metric identity (namespace, name, dimensions): queue gauges
 * it samples, Lambda counts from the function runner, and custom metrics from Embedded Metric Format lines
 * the functions log. Timestamps are real milliseconds.
 */
export class MetricStore {
  readonly #series = new Map<string, Datapoint[]>();

  record(
    namespace: string,
    name: string,
    dimensions: readonly MetricDimension[],
    value: number,
    at = Date.now(),
  ): void {
    const key = seriesKey(namespace, name, dimensions);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = [];
      this.#series.set(key, series);
    }
    series.push({ at, value });
  }

  /** The statistic over [from, to), or undefined when there is no datapoint (missing data). */
  statistic(
    namespace: string,
    name: string,
    dimensions: readonly MetricDimension[],
    statistic: string,
    from: number,
    to: number,
  ): number | undefined {
    const values = (this.#series.get(seriesKey(namespace, name, dimensions)) ?? [])
      .filter((point) => point.at >= from && point.at < to)
      .map((point) => point.value);
    if (values.length === 0) return undefined;
    switch (statistic) {
      case 'Sum':
        return values.reduce((total, value) => total + value, 0);
      case 'Maximum':
        return Math.max(...values);
      case 'Minimum':
        return Math.min(...values);
      case 'SampleCount':
        return values.length;
      default:
        return values.reduce((total, value) => total + value, 0) / values.length;
    }
  }

  /** The series with data, as `namespace|name|dimension=value,...` (what CloudWatch bills per metric). */
  seriesKeys(): string[] {
    return [...this.#series.keys()];
  }

  /** Forgets datapoints older than `before`, so a long run keeps a bounded memory. */
  prune(before: number): void {
    for (const [key, series] of this.#series) {
      const kept = series.filter((point) => point.at >= before);
      if (kept.length === 0) this.#series.delete(key);
      else this.#series.set(key, kept);
    }
  }
}

function seriesKey(namespace: string, name: string, dimensions: readonly MetricDimension[]): string {
  const sorted = [...dimensions].sort((a, b) => a.name.localeCompare(b.name));
  return `${namespace}|${name}|${sorted.map(({ name: key, value }) => `${key}=${value}`).join(',')}`;
}

/** Reads an Embedded Metric Format log line into datapoints; anything else yields none. */
export function recordEmbeddedMetrics(store: MetricStore, line: string): boolean {
  if (!line.startsWith('{') || !line.includes('"_aws"')) return false;
  let document: {
    _aws?: {
      Timestamp?: number;
      CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
    };
    [key: string]: unknown;
  };
  try {
    document = JSON.parse(line);
  } catch {
    return false;
  }
  const at = Date.now();
  for (const directive of document._aws?.CloudWatchMetrics ?? []) {
    for (const dimensionSet of directive.Dimensions) {
      const dimensions = dimensionSet.map((name) => ({ name, value: String(document[name]) }));
      for (const metric of directive.Metrics) {
        const value = Number(document[metric.Name]);
        if (Number.isFinite(value)) store.record(directive.Namespace, metric.Name, dimensions, value, at);
      }
    }
  }
  return true;
}
