import type { AlarmSpec, MetricStatSpec } from '../provision/localResources.js';
import type { AlarmTransition } from './alarmEvaluator.js';

/**
 * The payloads CloudWatch sends on an alarm state change (docs/aws-semantics.md#cloudwatch-alarms):
 * the direct Lambda alarm action, and the JSON message published to an SNS topic action.
 */
export function directAlarmActionPayload(transition: AlarmTransition, region: string, accountId: string) {
  const { alarm } = transition;
  const time = new Date(transition.at).toISOString();
  return {
    source: 'aws.cloudwatch',
    alarmArn: alarm.arn,
    accountId,
    time,
    region,
    alarmData: {
      alarmName: alarm.name,
      state: { value: transition.state, reason: transition.reason, timestamp: time },
      previousState: { value: transition.previous, reason: '', timestamp: time },
      configuration:
        alarm.kind === 'composite'
          ? { alarmRule: alarm.rule, description: alarm.description ?? '' }
          : { description: alarm.description ?? '', metrics: actionMetrics(alarm) },
    },
  };
}

/** `configuration.metrics` of the alarm-action payload: camelCase, dimensions as an object. */
function actionMetrics(alarm: AlarmSpec) {
  const metricStat = (stat: MetricStatSpec) => ({
    metric: {
      namespace: stat.namespace,
      name: stat.metricName,
      dimensions: Object.fromEntries(stat.dimensions.map(({ name, value }) => [name, value])),
    },
    period: stat.periodSeconds,
    stat: stat.statistic,
  });
  if (alarm.metric !== undefined)
    return [{ id: 'm1', metricStat: metricStat(alarm.metric), returnData: true }];
  return alarm.metrics.map((query) => ({
    id: query.id,
    ...(query.label === undefined ? {} : { label: query.label }),
    ...(query.expression === undefined ? {} : { expression: query.expression }),
    ...(query.metricStat === undefined ? {} : { metricStat: metricStat(query.metricStat) }),
    returnData: query.returnData,
  }));
}

/** `Region` in the SNS payload is a display name; consumers must take the region from the ARN. */
const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-central-1': 'EU (Frankfurt)',
};

export function snsAlarmMessage(transition: AlarmTransition, region: string, accountId: string) {
  const { alarm } = transition;
  return {
    subject: `${transition.state}: "${alarm.name}" in ${REGION_NAMES[region] ?? region}`,
    message: JSON.stringify({
      AlarmName: alarm.name,
      AlarmDescription: alarm.description ?? null,
      AWSAccountId: accountId,
      AlarmConfigurationUpdatedTimestamp: new Date(transition.at).toISOString(),
      NewStateValue: transition.state,
      NewStateReason: transition.reason,
      StateChangeTime: new Date(transition.at).toISOString().replace('Z', '+0000'),
      Region: REGION_NAMES[region] ?? region,
      AlarmArn: alarm.arn,
      OldStateValue: transition.previous,
      OKActions: alarm.okActions,
      AlarmActions: alarm.alarmActions,
      InsufficientDataActions: alarm.insufficientDataActions,
      ...(alarm.kind === 'composite' ? { AlarmRule: alarm.rule } : { Trigger: snsTrigger(alarm) }),
    }),
  };
}

/** The SNS payload's `Trigger`: the metric for a single-metric alarm, `Metrics[]` for metric math. */
function snsTrigger(alarm: AlarmSpec) {
  const dimensions = (stat: MetricStatSpec) => stat.dimensions.map(({ name, value }) => ({ value, name }));
  const common = {
    Period: alarm.periodSeconds,
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    ComparisonOperator: alarm.comparisonOperator,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: '',
  };
  if (alarm.metric !== undefined) {
    return {
      MetricName: alarm.metric.metricName,
      Namespace: alarm.metric.namespace,
      StatisticType: 'Statistic',
      Statistic: alarm.metric.statistic.toUpperCase(),
      Unit: null,
      Dimensions: dimensions(alarm.metric),
      ...common,
    };
  }
  return {
    ...common,
    Metrics: alarm.metrics.map((query) => ({
      ...(query.expression === undefined ? {} : { Expression: query.expression }),
      Id: query.id,
      ...(query.label === undefined ? {} : { Label: query.label }),
      ...(query.metricStat === undefined
        ? {}
        : {
            MetricStat: {
              Metric: {
                Dimensions: dimensions(query.metricStat),
                MetricName: query.metricStat.metricName,
                Namespace: query.metricStat.namespace,
              },
              Period: query.metricStat.periodSeconds,
              Stat: query.metricStat.statistic,
            },
          }),
      ReturnData: query.returnData,
    })),
  };
}
