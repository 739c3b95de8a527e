import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, QUEUE_DIMENSION } from '../../../lib/metrics/metricNames.js';
import { formatDuration } from '../../../lib/time/formatDuration.js';

/** When the transient-failure alarm breaches: `circuitBreaker` props, or their defaults. */
export interface TransientFailuresAlarmSettings {
  readonly threshold: number;
  readonly failureRatePercent: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/**
 * Percent of the records that failed with a retryable error among those that succeeded or failed so, when
 * at least `minimum` failed (else 0). Permanent failures stay out: they say nothing about a dependency.
 */
export function transientFailureRateExpression(minimum: number): string {
  return `IF(transient >= ${minimum}, 100 * transient / (transient + FILL(succeeded, 0)), 0)`;
}

/**
 * The outage signal: a metric-math alarm on the share of this queue's records failing with a retryable
 * error (TransientFailures over TransientFailures + MessagesSucceeded, summed over all containers). It
 * feeds the consumer-health alarm, so an outage holds back redrives until it ends, and it is what the
 * consumer circuit breaker acts on when that is on.
 */
export function createTransientFailuresAlarm(
  scope: Construct,
  props: {
    readonly queue: sqs.IQueue;
    readonly settings: TransientFailuresAlarmSettings;
    readonly alarmName: string;
    readonly pausesConsumer: boolean;
  },
): cloudwatch.Alarm {
  const { settings } = props;
  const period = Duration.seconds(settings.periodSeconds);
  const recordsOf = (metricName: string) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { [QUEUE_DIMENSION]: props.queue.queueName },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
  return new cloudwatch.MathExpression({
    expression: transientFailureRateExpression(settings.threshold),
    usingMetrics: {
      transient: recordsOf(METRIC.transientFailures),
      succeeded: recordsOf(METRIC.succeeded),
    },
    label: 'Transient failure rate (%)',
    period,
  }).createAlarm(scope, 'TransientFailures', {
    alarmName: props.alarmName,
    alarmDescription:
      `${settings.failureRatePercent}% or more of the records (and at least ${settings.threshold}) failed with a ` +
      `retryable error in ${settings.datapointsToAlarm} of ${settings.evaluationPeriods} periods of ` +
      `${formatDuration(settings.periodSeconds)}: a dependency is down.` +
      (props.pausesConsumer ? ' The circuit breaker pauses the consumer while this alarm is in ALARM.' : ''),
    threshold: settings.failureRatePercent,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: settings.evaluationPeriods,
    datapointsToAlarm: settings.datapointsToAlarm,
    // A paused or idle consumer emits nothing: its silence turns the alarm OK, and a failure while
    // half-open is then a fresh OK -> ALARM transition that pauses again at once.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
