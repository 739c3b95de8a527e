import type { AlarmTransition } from './alarmEvaluator.js';

/**
 * The payloads CloudWatch sends on an alarm state change (AWS-SEMANTICS.md, "CloudWatch alarm -> Lambda"):
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
      configuration: {
        description: alarm.description ?? '',
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: {
                namespace: alarm.namespace,
                name: alarm.metricName,
                dimensions: Object.fromEntries(alarm.dimensions.map(({ name, value }) => [name, value])),
              },
              period: alarm.periodSeconds,
              stat: alarm.statistic,
            },
            returnData: true,
          },
        ],
      },
    },
  };
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
      Trigger: {
        MetricName: alarm.metricName,
        Namespace: alarm.namespace,
        StatisticType: 'Statistic',
        Statistic: alarm.statistic.toUpperCase(),
        Unit: null,
        Dimensions: alarm.dimensions.map(({ name, value }) => ({ value, name })),
        Period: alarm.periodSeconds,
        EvaluationPeriods: alarm.evaluationPeriods,
        DatapointsToAlarm: alarm.datapointsToAlarm,
        ComparisonOperator: alarm.comparisonOperator,
        Threshold: alarm.threshold,
        TreatMissingData: alarm.treatMissingData,
        EvaluateLowSampleCountPercentile: '',
      },
    }),
  };
}
