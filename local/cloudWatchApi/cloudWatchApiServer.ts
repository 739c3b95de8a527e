import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AlarmState } from '../alarms/alarmEvaluator.js';
import type { ApiCallCounter } from '../apiCalls/apiCallCounter.js';
import { describeAwsRequest } from '../apiCalls/describeAwsRequest.js';
import type { AlarmSpec, CompositeAlarmSpec, MetricDimension } from '../provision/localResources.js';
import { LocalHttpServer, readRequestBody } from '../support/localHttpServer.js';

/**
 * The slice of the CloudWatch API the product's functions call, served from the emulated alarms:
 * DescribeAlarms (the breaker controller's probe reads its alarm's state). The SDK speaks JSON 1.0 here
 * (X-Amz-Target GraniteServiceVersion20100801.*). Functions find it through AWS_ENDPOINT_URL_CLOUDWATCH.
 */
export class CloudWatchApiServer extends LocalHttpServer {
  constructor(
    private readonly alarms: readonly AlarmSpec[],
    private readonly compositeAlarms: readonly CompositeAlarmSpec[],
    private readonly stateOf: (alarmName: string) => AlarmState,
    /** Counts each request as one of the functions' AWS calls. */
    private readonly counter?: ApiCallCounter,
  ) {
    super(
      (request, response) => this.#handle(request, response),
      (response, error) => reply(response, 500, { __type: 'InternalFailure', message: error.message }),
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const action = String(request.headers['x-amz-target'] ?? '')
      .split('.')
      .at(-1);
    const raw = await readRequestBody(request);
    this.counter?.record('functions', describeAwsRequest(request, raw));
    const body = JSON.parse(raw.toString('utf8') || '{}') as {
      AlarmNames?: string[];
      AlarmTypes?: string[];
    };
    if (action !== 'DescribeAlarms') {
      return reply(response, 400, { __type: 'InvalidAction', message: `${action} is not emulated locally` });
    }
    const wanted = body.AlarmNames === undefined ? undefined : new Set(body.AlarmNames);
    // As on AWS, composite alarms are listed only when asked for.
    const types = new Set(body.AlarmTypes ?? ['MetricAlarm']);
    const pick = <T extends AlarmSpec | CompositeAlarmSpec>(list: readonly T[]) =>
      list.filter(
        (alarm) =>
          types.has(alarm.kind === 'composite' ? 'CompositeAlarm' : 'MetricAlarm') &&
          (wanted === undefined || wanted.has(alarm.name)),
      );
    reply(response, 200, {
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
    });
  }
}

function apiDimensions(dimensions: readonly MetricDimension[]) {
  return dimensions.map(({ name, value }) => ({ Name: name, Value: value }));
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
}
