import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BREAKER_PROBE_EVENT, type BreakerConfig } from '../../lib/breaker/breakerConfig.js';
import { METRIC, METRICS_NAMESPACE, QUEUE_DIMENSION } from '../../lib/metrics/metricNames.js';
import { packagedHandlerEntry } from '../bundling/packagedEntry.js';
import { breakerControllerEnvironment } from './breakerControllerEnvironment.js';
import type { ResolvedBreakerSettings } from './breakerSettings.js';
import { createBundledFunction } from './bundledFunction.js';
import { formatDuration } from './formatDuration.js';
import { grantPublish } from './grants.js';

export interface ConsumerBreakerProps {
  readonly settings: ResolvedBreakerSettings;
  readonly queue: sqs.IQueue;
  /** The consumer's event source, bound: its mapping is what the breaker pauses and resumes. */
  readonly eventSource: SqsEventSource;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey | undefined;
  /**
   * Fixed at synth time: the controller is the alarm's action, so a reference from the controller's
   * configuration or policy to the alarm would close a dependency cycle.
   */
  readonly alarmName: string;
}

export interface ConsumerBreaker {
  readonly alarm: cloudwatch.Alarm;
  readonly controller: lambda.Function;
  readonly probeSchedule: events.Rule;
  /** What SQS_FAILSAFE_BREAKER_CONFIG holds (with tokens). */
  readonly config: BreakerConfig;
}

/** The controller reads a mapping and an alarm, updates the mapping and publishes: seconds at most. */
const CONTROLLER_TIMEOUT_SECONDS = 30;
const CONTROLLER_MEMORY_SIZE = 256;

/**
 * The consumer circuit breaker (docs/outage-protection.md), in a `CircuitBreaker` scope: a plain metric
 * alarm on the runtime's TransientFailures for this queue (not metric math, which the local runtime cannot
 * evaluate), the controller function as its ALARM and OK action, a probe schedule, and permissions on this
 * one mapping, alarm and topic. Reserved concurrency 1: two controllers deciding at once would both act.
 */
export function createConsumerBreaker(scope: Construct, props: ConsumerBreakerProps): ConsumerBreaker {
  const { settings, queue, eventSource, topic } = props;
  const breaker = new Construct(scope, 'CircuitBreaker');

  const alarm = new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: METRIC.transientFailures,
    dimensionsMap: { [QUEUE_DIMENSION]: queue.queueName },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.seconds(settings.periodSeconds),
  }).createAlarm(breaker, 'TransientFailures', {
    alarmName: props.alarmName,
    alarmDescription:
      `${settings.threshold} or more records failed with a retryable error in ${settings.datapointsToAlarm} of ` +
      `${settings.evaluationPeriods} periods of ${formatDuration(settings.periodSeconds)}: a dependency is ` +
      'down. The circuit breaker pauses the consumer while this alarm is in ALARM.',
    threshold: settings.threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: settings.evaluationPeriods,
    datapointsToAlarm: settings.datapointsToAlarm,
    // A paused consumer emits nothing: its silence turns the alarm OK, and a failure while half-open is
    // then a fresh OK -> ALARM transition that pauses again at once.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  const config: BreakerConfig = {
    mappingUuid: eventSource.eventSourceMappingId,
    alarmName: props.alarmName,
    topicArn: topic.topicArn,
    coolDownSeconds: settings.coolDownSeconds,
    halfOpenConcurrency: settings.halfOpenConcurrency,
    ...(settings.fullConcurrency === undefined ? {} : { fullConcurrency: settings.fullConcurrency }),
    probeSeconds: settings.probeSeconds,
  };
  const controller = createBundledFunction(breaker, 'Controller', {
    entry: packagedHandlerEntry('breakerController'),
    purpose: "circuit breaker: pauses and resumes the consumer's event source mapping",
    timeoutSeconds: CONTROLLER_TIMEOUT_SECONDS,
    memorySize: CONTROLLER_MEMORY_SIZE,
    environment: breakerControllerEnvironment(scope, config),
    logRetention: logs.RetentionDays.ONE_MONTH,
    reservedConcurrentExecutions: 1,
  });

  controller.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'],
      resources: [eventSource.eventSourceMappingArn],
    }),
  );
  controller.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['cloudwatch:DescribeAlarms'],
      // From the synth-time name, not the alarm's ARN attribute: see alarmName.
      resources: [
        Stack.of(scope).formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: props.alarmName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
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
        event: events.RuleTargetInput.fromObject(BREAKER_PROBE_EVENT),
      }),
    ],
  });

  return { alarm, controller, probeSchedule, config };
}
