import { Annotations, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import type { AlarmSetup, AlarmSubject, ConsumerSetup } from '../../../lib/setupRules/consumerSetup.js';
import { ALARM_RULES } from '../../../lib/setupRules/rules/alarmRules.js';
import { checkConsumerSetup } from '../../../lib/setupRules/setupRules.js';
import { findingAsProblem, findingAsWarning } from '../settings/setupFindings.js';

/** An alarm of the consumer and what it watches. */
export interface WatchedAlarm {
  readonly alarm: cloudwatch.IAlarm & IConstruct;
  readonly watches: AlarmSubject;
}

/** The service of a resource type whose ARN an alarm action holds; AWS::SNS::Topic -> sns. */
const SERVICE_OF_TYPE: Readonly<Record<string, string>> = {
  'AWS::SNS::Topic': 'sns',
  'AWS::Lambda::Function': 'lambda',
  'AWS::Lambda::Alias': 'lambda',
  'AWS::Lambda::Version': 'lambda',
};

/**
 * Applies the rules on alarms (lib/setupRules: someone hears of trouble, the DLQ and the parking queue are
 * watched, a skipped DLQ alarm is looked at again) at synthesis, when every action is known: actions are also
 * added after the construct (`orders.alarms.deadLetterQueueNotEmpty.addAlarmAction(...)`). Warnings become
 * synth warnings with the rule's id (`sqs-failsafe:<rule>`), errors synth errors.
 */
export function checkAlarmsAtSynthesis(
  consumer: IConstruct,
  setup: ConsumerSetup,
  alarms: () => readonly WatchedAlarm[],
): void {
  Aspects.of(consumer).add({
    visit(node) {
      if (node !== consumer) return;
      const described = describeAlarms(Stack.of(consumer), alarms());
      for (const finding of checkConsumerSetup({ ...setup, alarms: described }, ALARM_RULES)) {
        if (finding.severity === 'error') {
          const problem = findingAsProblem(finding);
          Annotations.of(consumer).addError(`${problem.prop} = ${problem.value}: ${problem.allowed}`);
        } else {
          Annotations.of(consumer).addWarningV2(`sqs-failsafe:${finding.rule}`, findingAsWarning(finding));
        }
      }
    },
  });
}

function describeAlarms(stack: Stack, alarms: readonly WatchedAlarm[]): AlarmSetup[] {
  const typeOf = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    if (CfnResource.isCfnResource(construct))
      typeOf.set(stack.resolve(construct.logicalId) as string, construct.cfnResourceType);
  }
  return alarms.map(({ alarm, watches }) => {
    const resource = alarm.node.defaultChild as { alarmActions?: unknown } | undefined;
    const actions = (stack.resolve(resource?.alarmActions) as unknown[] | undefined) ?? [];
    return {
      name: alarm.node.path,
      watches,
      alarmActionArns: actions.map((action) => arnText(action, typeOf)),
    };
  });
}

/**
 * An alarm action as ARN text whose service part the rules read: a literal ARN as it is; a reference to a
 * resource of this stack as a stand-in ARN of its service; a joined ARN with its references left out. Anything
 * else (an import from another stack) as an ARN of no known service, which counts as reaching someone.
 */
function arnText(action: unknown, typeOf: ReadonlyMap<string, string>): string {
  if (typeof action === 'string') return action;
  const value = action as Record<string, unknown>;
  const logicalId =
    typeof value.Ref === 'string'
      ? value.Ref
      : Array.isArray(value['Fn::GetAtt'])
        ? (value['Fn::GetAtt'][0] as string)
        : undefined;
  if (logicalId !== undefined) return `arn:aws:${SERVICE_OF_TYPE[typeOf.get(logicalId) ?? ''] ?? 'unknown'}`;
  const join = value['Fn::Join'] as [string, unknown[]] | undefined;
  if (join !== undefined) return join[1].map((part) => (typeof part === 'string' ? part : '')).join(join[0]);
  return 'arn:aws:unknown';
}
