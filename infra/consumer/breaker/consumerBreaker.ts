import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ConsumerBreakerConfig } from '../../../lib/config/consumerBreakerConfig.js';
import { CONSUMER_BREAKER_PROBE_EVENT } from '../../../lib/consumerBreaker/consumerBreakerTrigger.js';
import { createBundledFunction } from '../../bundling/bundledFunction.js';
import { packagedHandlerEntry } from '../../bundling/packagedEntry.js';
import { consumerBreakerConfigEnvironment } from '../environment/consumerBreakerConfigEnvironment.js';
import { grantDescribeAlarm, grantPublish } from '../permissions/grants.js';
import { breakerControllerConfig } from './breakerControllerConfig.js';
import type { ResolvedBreakerSettings } from './breakerSettings.js';

export interface ConsumerBreakerProps {
  readonly settings: ResolvedBreakerSettings;
  /** The consumer's event source, bound: its mapping is what the breaker pauses and resumes. */
  readonly eventSource: SqsEventSource;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey | undefined;
  /** The transient-failure alarm (consumerAlarms): the breaker is its ALARM and OK action. */
  readonly alarm: cloudwatch.Alarm;
  /**
   * Fixed at synth time: the controller is the alarm's action, so a reference from the controller's
   * configuration or policy to the alarm would close a dependency cycle.
   */
  readonly alarmName: string;
  /** The Lambda runtime (the consumer's `runtime` prop). */
  readonly runtime: lambda.Runtime;
  /** X-Ray active tracing (the `tracing` prop). */
  readonly tracing: boolean;
}

export interface ConsumerBreaker {
  readonly alarm: cloudwatch.Alarm;
  readonly controller: lambda.Function;
  readonly probeSchedule: events.Rule;
  /** What SQS_FAILSAFE_BREAKER_CONFIG holds (with tokens). */
  readonly config: ConsumerBreakerConfig;
}

/** The controller reads a mapping and an alarm, updates the mapping and publishes: seconds at most. */
const CONTROLLER_TIMEOUT_SECONDS = 30;
const CONTROLLER_MEMORY_SIZE = 256;

/**
 * The consumer circuit breaker (docs/outage-protection.md), in a `CircuitBreaker` scope: the controller
 * function as the transient-failure alarm's ALARM and OK action, a probe schedule, and permissions on this
 * one mapping, alarm and topic. Reserved concurrency 1: two controllers deciding at once would both act.
 */
export function createConsumerBreaker(scope: Construct, props: ConsumerBreakerProps): ConsumerBreaker {
  const { settings, eventSource, topic, alarm } = props;
  const breaker = new Construct(scope, 'CircuitBreaker');

  const config = breakerControllerConfig(settings, {
    mappingUuid: eventSource.eventSourceMappingId,
    alarmName: props.alarmName,
    topicArn: topic.topicArn,
  });
  const controller = createBundledFunction(breaker, 'Controller', {
    entry: packagedHandlerEntry('breakerController'),
    runtime: props.runtime,
    purpose: "circuit breaker: pauses and resumes the consumer's event source mapping",
    timeoutSeconds: CONTROLLER_TIMEOUT_SECONDS,
    memorySize: CONTROLLER_MEMORY_SIZE,
    environment: consumerBreakerConfigEnvironment(scope, config),
    logRetention: logs.RetentionDays.ONE_MONTH,
    reservedConcurrentExecutions: 1,
    tracing: props.tracing,
  });

  controller.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'],
      resources: [eventSource.eventSourceMappingArn],
    }),
  );
  grantDescribeAlarm(controller, scope, props.alarmName);
  grantPublish(controller, [topic.topicArn], props.topicKey);

  // One action for both states; with a unique id its resource policy is scoped to this alarm's ARN.
  const action = new cloudwatchActions.LambdaAction(controller, { useUniquePermissionId: true });
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);

  const probeSchedule = new events.Rule(breaker, 'ProbeSchedule', {
    description:
      'sqs-failsafe circuit breaker: the half-open probe, and a check of the alarm when an event was lost',
    schedule: events.Schedule.rate(Duration.seconds(settings.probeSeconds)),
    targets: [
      new targets.LambdaFunction(controller, {
        event: events.RuleTargetInput.fromObject(CONSUMER_BREAKER_PROBE_EVENT),
      }),
    ],
  });

  return { alarm, controller, probeSchedule, config };
}
