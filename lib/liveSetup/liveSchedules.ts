import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { parseScheduleExpression } from '../aws/scheduleExpression.js';

/** An enabled EventBridge schedule that invokes a function. */
export interface LiveSchedule {
  readonly ruleName: string;
  readonly expression: string;
  /** The period of a `rate(...)` expression; undefined for a cron expression. */
  readonly everySeconds: number | undefined;
}

/**
 * The first enabled EventBridge rule on a schedule whose targets include the function (ListRuleNamesByTarget,
 * every page, then DescribeRule per rule until one is a schedule); undefined when none is. A rule with an
 * event pattern, or a disabled one, does not look at anything again by itself. Schedules of EventBridge
 * Scheduler are another service and are not read (docs/doctor.md). The SDK module is imported on the first
 * call. Needs events:ListRuleNamesByTarget and events:DescribeRule.
 *
 * @example
 * const schedule = await scheduleInvoking('arn:aws:lambda:eu-west-1:111122223333:function:orders-redrive');
 */
export async function scheduleInvoking(
  functionArn: string,
  client?: EventBridgeClient,
): Promise<LiveSchedule | undefined> {
  const { EventBridgeClient, ListRuleNamesByTargetCommand, DescribeRuleCommand } = await import(
    '@aws-sdk/client-eventbridge'
  );
  const eventBridge = client ?? new EventBridgeClient({});
  let token: string | undefined;
  do {
    const page = await eventBridge.send(
      new ListRuleNamesByTargetCommand({ TargetArn: functionArn, NextToken: token }),
    );
    for (const name of page.RuleNames ?? []) {
      const rule = await eventBridge.send(new DescribeRuleCommand({ Name: name }));
      const expression = rule.ScheduleExpression;
      if (rule.State !== 'ENABLED' || expression === undefined) continue;
      return { ruleName: name, expression, everySeconds: parseScheduleExpression(expression) };
    }
    token = page.NextToken;
  } while (token !== undefined);
  return undefined;
}
