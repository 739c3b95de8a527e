import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AlarmState } from '../alarms/alarmEvaluator.js';
import type { AlarmSpec, CompositeAlarmSpec } from '../provision/localResources.js';
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
    const body = JSON.parse((await readRequestBody(request)).toString('utf8') || '{}') as {
      AlarmNames?: string[];
    };
    if (action !== 'DescribeAlarms') {
      return reply(response, 400, { __type: 'InvalidAction', message: `${action} is not emulated locally` });
    }
    const wanted = body.AlarmNames === undefined ? undefined : new Set(body.AlarmNames);
    const pick = <T extends { name: string }>(list: readonly T[]) =>
      list.filter((alarm) => wanted === undefined || wanted.has(alarm.name));
    reply(response, 200, {
      MetricAlarms: pick(this.alarms).map((alarm) => ({
        AlarmName: alarm.name,
        AlarmArn: alarm.arn,
        StateValue: this.stateOf(alarm.name),
        MetricName: alarm.metricName,
        Namespace: alarm.namespace,
        Statistic: alarm.statistic,
        Dimensions: alarm.dimensions.map(({ name, value }) => ({ Name: name, Value: value })),
        Period: alarm.periodSeconds,
        EvaluationPeriods: alarm.evaluationPeriods,
        Threshold: alarm.threshold,
        ComparisonOperator: alarm.comparisonOperator,
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

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
}
