import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, QUEUE_DIMENSION } from '../../../lib/metrics/metricNames.js';
import type { ConsumerAlarms } from './consumerAlarms.js';

export interface ConsumerDashboardProps {
  readonly dashboardName?: string | undefined;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly consumer: lambda.IFunction;
  readonly alarms: ConsumerAlarms;
}

const PERIOD = Duration.minutes(1);

/**
 * One dashboard per consumer: queue and DLQ depth, oldest age, what the runtime did with the messages
 * (its Embedded Metric Format metrics, by source queue name) and the consumer's own health.
 */
export function createConsumerDashboard(
  scope: Construct,
  props: ConsumerDashboardProps,
): cloudwatch.Dashboard {
  const { queue, deadLetterQueue, consumer, alarms } = props;
  const outcome = (metricName: string, label: string) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { [QUEUE_DIMENSION]: queue.queueName },
      statistic: cloudwatch.Stats.SUM,
      period: PERIOD,
      label,
    });
  const maximum = { period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM };
  const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };

  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: props.dashboardName,
    defaultInterval: Duration.hours(3),
  });
  dashboard.addWidgets(
    new cloudwatch.AlarmStatusWidget({
      title: 'Alarms',
      width: 24,
      height: 3,
      alarms: [
        alarms.consumerHealth,
        alarms.deadLetterQueueNotEmpty,
        alarms.oldestMessageAge,
        alarms.consumerErrors,
        alarms.consumerThrottles,
        alarms.transientFailures,
      ],
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Work queue depth',
      width: 8,
      left: [
        queue.metricApproximateNumberOfMessagesVisible({ ...maximum, label: 'waiting' }),
        queue.metricApproximateNumberOfMessagesNotVisible({ ...maximum, label: 'in flight or backing off' }),
        queue.metricApproximateNumberOfMessagesDelayed({ ...maximum, label: 'delayed' }),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: 'DLQ depth',
      width: 8,
      left: [
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...maximum, label: 'dead-lettered' }),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: 'Age of oldest message (s)',
      width: 8,
      left: [
        queue.metricApproximateAgeOfOldestMessage({ ...maximum, label: 'work queue' }),
        deadLetterQueue.metricApproximateAgeOfOldestMessage({ ...maximum, label: 'DLQ' }),
      ],
      leftAnnotations: [alarms.oldestMessageAge.toAnnotation()],
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Messages by outcome',
      width: 12,
      left: [
        outcome(METRIC.succeeded, 'processed'),
        outcome(METRIC.failed, 'failed'),
        outcome(METRIC.transientFailures, 'failed, transient'),
        outcome(METRIC.deadLettered, 'dead-lettered'),
        outcome(METRIC.redriven, 'redriven'),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: 'Consumer invocations',
      width: 12,
      left: [
        consumer.metricInvocations({ ...sum, label: 'invocations' }),
        consumer.metricErrors({ ...sum, label: 'errors' }),
        consumer.metricThrottles({ ...sum, label: 'throttles' }),
      ],
      right: [consumer.metricDuration({ ...maximum, label: 'duration, max (ms)' })],
    }),
  );
  return dashboard;
}
