import type { ApiCallCounter } from '../apiCalls/apiCallCounter.js';
import { LOCAL_ACCOUNT_ID } from '../provision/localNames.js';
import type { ScheduleSpec } from '../provision/localResources.js';
import { type AwsJsonAnswer, AwsJsonApiServer, notEmulated } from '../support/awsJsonApiServer.js';

/**
 * The slice of the EventBridge API `sqs-failsafe doctor` reads, served from the schedules the runtime runs:
 * ListRuleNamesByTarget and DescribeRule (is the redrive function invoked on a schedule?). The SDK speaks
 * JSON 1.1 here (X-Amz-Target AWSEvents.*); it is reached through AWS_ENDPOINT_URL_EVENTBRIDGE. Rules the
 * runtime does not run (an event pattern, a cron expression, a disabled rule) are not listed.
 */
export class EventBridgeApiServer extends AwsJsonApiServer {
  constructor(
    private readonly schedules: readonly ScheduleSpec[],
    private readonly region: string,
    /** Counts each request as one of the AWS calls made. */
    counter?: ApiCallCounter,
  ) {
    super('application/x-amz-json-1.1', 'InternalException', counter);
  }

  protected answer(action: string, input: { TargetArn?: unknown; Name?: unknown }): AwsJsonAnswer {
    if (action === 'ListRuleNamesByTarget') {
      const names = this.schedules
        .filter((schedule) => schedule.targets.some((target) => target.arn === input.TargetArn))
        .map((schedule) => schedule.name);
      return { status: 200, body: { RuleNames: names } };
    }
    if (action === 'DescribeRule') {
      const schedule = this.schedules.find((each) => each.name === input.Name);
      if (schedule === undefined) {
        return {
          status: 400,
          body: {
            __type: 'ResourceNotFoundException',
            message: `Rule ${String(input.Name)} does not exist on EventBus default.`,
          },
        };
      }
      return {
        status: 200,
        body: {
          Name: schedule.name,
          Arn: `arn:aws:events:${this.region}:${LOCAL_ACCOUNT_ID}:rule/${schedule.name}`,
          ScheduleExpression: schedule.expression,
          State: 'ENABLED',
          EventBusName: 'default',
        },
      };
    }
    return notEmulated(action);
  }
}
