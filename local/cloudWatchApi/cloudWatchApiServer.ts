import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlarmState } from '../alarms/alarmEvaluator.js';
import type { AlarmSpec, CompositeAlarmSpec } from '../provision/localResources.js';

/**
 * The slice of the CloudWatch API the product's functions call, served from the emulated alarms:
 * DescribeAlarms (the breaker controller's probe reads its alarm's state). The SDK speaks JSON 1.0 here
 * (X-Amz-Target GraniteServiceVersion20100801.*). Functions find it through AWS_ENDPOINT_URL_CLOUDWATCH.
 */
export class CloudWatchApiServer {
  readonly #server: Server;
  #endpoint = '';

  constructor(
    private readonly alarms: readonly AlarmSpec[],
    private readonly compositeAlarms: readonly CompositeAlarmSpec[],
    private readonly stateOf: (alarmName: string) => AlarmState,
  ) {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: Error) =>
        reply(response, 500, { __type: 'InternalFailure', message: error.message }),
      );
    });
  }

  get endpoint(): string {
    return this.#endpoint;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#endpoint = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#endpoint;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const action = String(request.headers['x-amz-target'] ?? '')
      .split('.')
      .at(-1);
    const body = JSON.parse((await readBody(request)) || '{}') as { AlarmNames?: string[] };
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

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
}
