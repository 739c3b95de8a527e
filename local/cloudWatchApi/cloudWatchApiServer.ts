import type { AlarmState } from '../alarms/alarmEvaluator.js';
import type { ApiCallCounter } from '../apiCalls/apiCallCounter.js';
import type { AlarmSpec, CompositeAlarmSpec, MetricDimension } from '../provision/localResources.js';
import { type AwsJsonAnswer, AwsJsonApiServer, notEmulated } from '../support/awsJsonApiServer.js';

/**
 * The slice of the CloudWatch API the product's functions call, served from the emulated alarms:
 * DescribeAlarms (the breaker controller's probe reads its alarm's state). The SDK speaks JSON 1.0 here
 * (X-Amz-Target GraniteServiceVersion20100801.*). Functions find it through AWS_ENDPOINT_URL_CLOUDWATCH.
 */
export class CloudWatchApiServer extends AwsJsonApiServer {
  constructor(
    private readonly alarms: readonly AlarmSpec[],
    private readonly compositeAlarms: readonly CompositeAlarmSpec[],
    private readonly stateOf: (alarmName: string) => AlarmState,
    /** Counts each request as one of the functions' AWS calls. */
    counter?: ApiCallCounter,
  ) {
    super('application/x-amz-json-1.0', 'InternalFailure', counter);
  }

  protected answer(action: string, input: { AlarmNames?: string[]; AlarmTypes?: string[] }): AwsJsonAnswer {
    if (action !== 'DescribeAlarms') return notEmulated(action);
    const wanted = input.AlarmNames === undefined ? undefined : new Set(input.AlarmNames);
    // As on AWS, composite alarms are listed only when asked for.
    const types = new Set(input.AlarmTypes ?? ['MetricAlarm']);
    const pick = <T extends AlarmSpec | CompositeAlarmSpec>(list: readonly T[]) =>
      list.filter(
        (alarm) =>
          types.has(alarm.kind === 'composite' ? 'CompositeAlarm' : 'MetricAlarm') &&
          (wanted === undefined || wanted.has(alarm.name)),
      );
    return {
      status: 200,
      body: {
        MetricAlarms: pick(this.alarms).map((alarm) => ({
          AlarmName: alarm.name,
          AlarmArn: alarm.arn,
          StateValue: this.stateOf(alarm.name),
          AlarmActions: alarm.alarmActions,
          ...(alarm.metric === undefined
            ? {
                Metrics: alarm.metrics.map((query) => ({
                  Id: query.id,
                  ...(query.label === undefined ? {} : { Label: query.label }),
                  ...(query.expression === undefined ? {} : { Expression: query.expression }),
                  ...(query.metricStat === undefined
                    ? {}
                    : {
                        MetricStat: {
                          Metric: {
                            Namespace: query.metricStat.namespace,
                            MetricName: query.metricStat.metricName,
                            Dimensions: apiDimensions(query.metricStat.dimensions),
                          },
                          Period: query.metricStat.periodSeconds,
                          Stat: query.metricStat.statistic,
                        },
                      }),
                  ReturnData: query.returnData,
                })),
              }
            : {
                MetricName: alarm.metric.metricName,
                Namespace: alarm.metric.namespace,
                Statistic: alarm.metric.statistic,
                Dimensions: apiDimensions(alarm.metric.dimensions),
                Period: alarm.periodSeconds,
              }),
          EvaluationPeriods: alarm.evaluationPeriods,
          DatapointsToAlarm: alarm.datapointsToAlarm,
          Threshold: alarm.threshold,
          ComparisonOperator: alarm.comparisonOperator,
          TreatMissingData: alarm.treatMissingData,
        })),
        CompositeAlarms: pick(this.compositeAlarms).map((alarm) => ({
          AlarmName: alarm.name,
          AlarmArn: alarm.arn,
          AlarmRule: alarm.rule,
          StateValue: this.stateOf(alarm.name),
        })),
      },
    };
  }
}

function apiDimensions(dimensions: readonly MetricDimension[]) {
  return dimensions.map(({ name, value }) => ({ Name: name, Value: value }));
}
