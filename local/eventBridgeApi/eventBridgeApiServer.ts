import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiCallCounter } from '../apiCalls/apiCallCounter.js';
import { describeAwsRequest } from '../apiCalls/describeAwsRequest.js';
import { LOCAL_ACCOUNT_ID } from '../provision/localNames.js';
import type { ScheduleSpec } from '../provision/localResources.js';
import { LocalHttpServer, readRequestBody } from '../support/localHttpServer.js';

/**
 * The slice of the EventBridge API `sqs-failsafe doctor` reads, served from the schedules the runtime runs:
 * ListRuleNamesByTarget and DescribeRule (is the redrive function invoked on a schedule?). The SDK speaks
 * JSON 1.1 here (X-Amz-Target AWSEvents.*); it is reached through AWS_ENDPOINT_URL_EVENTBRIDGE. Rules the
 * runtime does not run (an event pattern, a cron expression, a disabled rule) are not listed.
 */
export class EventBridgeApiServer extends LocalHttpServer {
  constructor(
    private readonly schedules: readonly ScheduleSpec[],
    private readonly region: string,
    /** Counts each request as one of the AWS calls made. */
    private readonly counter?: ApiCallCounter,
  ) {
    super(
      (request, response) => this.#handle(request, response),
      (response, error) => reply(response, 500, { __type: 'InternalException', message: error.message }),
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const action = String(request.headers['x-amz-target'] ?? '')
      .split('.')
      .at(-1);
    const raw = await readRequestBody(request);
    this.counter?.record('functions', describeAwsRequest(request, raw));
    const body = JSON.parse(raw.toString('utf8') || '{}') as { TargetArn?: string; Name?: string };
    if (action === 'ListRuleNamesByTarget') {
      const names = this.schedules
        .filter((schedule) => schedule.targets.some((target) => target.arn === body.TargetArn))
        .map((schedule) => schedule.name);
      return reply(response, 200, { RuleNames: names });
    }
    if (action === 'DescribeRule') {
      const schedule = this.schedules.find((each) => each.name === body.Name);
      if (schedule === undefined) {
        return reply(response, 400, {
          __type: 'ResourceNotFoundException',
          message: `Rule ${body.Name} does not exist on EventBus default.`,
        });
      }
      return reply(response, 200, {
        Name: schedule.name,
        Arn: `arn:aws:events:${this.region}:${LOCAL_ACCOUNT_ID}:rule/${schedule.name}`,
        ScheduleExpression: schedule.expression,
        State: 'ENABLED',
        EventBusName: 'default',
      });
    }
    return reply(response, 400, { __type: 'InvalidAction', message: `${action} is not emulated locally` });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
}
