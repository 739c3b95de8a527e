import { METRICS_NAMESPACE, type MetricName, QUEUE_DIMENSION } from './metricNames.js';

/**
 * One CloudWatch Embedded Metric Format log line: CloudWatch turns it into metrics without an API call,
 * so publishing metrics costs the invocation a single stdout write. (Powertools Metrics would do the same
 * but loads on every invocation, the healthy ones included.)
 */
export function embeddedMetricLine(
  queueName: string,
  values: ReadonlyMap<MetricName, number>,
  timestamp: number,
): string {
  const metrics = [...values.keys()].map((name) => ({ Name: name, Unit: 'Count' }));
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        { Namespace: METRICS_NAMESPACE, Dimensions: [[QUEUE_DIMENSION]], Metrics: metrics },
      ],
    },
    [QUEUE_DIMENSION]: queueName,
    ...Object.fromEntries(values),
  });
}
