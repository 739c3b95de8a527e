import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { formatDuration } from '../../../lib/time/formatDuration.js';
import {
  createTransientFailuresAlarm,
  type TransientFailuresAlarmSettings,
} from './transientFailuresAlarm.js';

/**
 * The alarms of one consumer (`FailsafeConsumer.alarms`). What each means and what to do when it fires:
 * docs/deploy.md, "Alarms".
 *
 * @example
 * orders.alarms.oldestMessageAge.addAlarmAction(new SnsAction(opsTopic));
 */
export interface ConsumerAlarms {
  /** At least one message is in the DLQ. */
  readonly deadLetterQueueNotEmpty: cloudwatch.Alarm;
  /**
   * At least one message is in the parking queue (`redrive.parkingQueue`): messages redriven too often, which
   * nothing moves on. Gets `alarmActions`.
   */
  readonly parkingQueueNotEmpty?: cloudwatch.Alarm;
  /** The oldest message in the work queue is older than the threshold: the consumer is behind or stuck. */
  readonly oldestMessageAge: cloudwatch.Alarm;
  /** Invocations failed as a whole (a crash or a timeout: the entire batch comes back). */
  readonly consumerErrors: cloudwatch.Alarm;
  /** Invocations were throttled (the event source backs off and the queue grows). */
  readonly consumerThrottles: cloudwatch.Alarm;
  /** A large share of the records fail with a retryable error: a dependency is down (the outage signal). */
  readonly transientFailures: cloudwatch.Alarm;
  /**
   * In ALARM while any of transient failures, errors, throttles or oldest age is; back to OK when all are,
   * which is when a redrive is safe.
   */
  readonly consumerHealth: cloudwatch.CompositeAlarm;
}

export interface ConsumerAlarmsProps {
  /**
   * Alarm names are `<prefix>-<alarm>`. Fixed at synth time so that the functions the alarms invoke can be
   * told their names without a reference back to the alarms, which would close a dependency cycle (alarm
   * -> function -> its configuration -> alarm).
   */
  readonly alarmNamePrefix: string;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** The parking queue, when there is one. */
  readonly parkingQueue?: sqs.IQueue | undefined;
  readonly consumer: lambda.IFunction;
  readonly oldestMessageAgeThresholdSeconds: number;
  readonly consumerErrorsThreshold: number;
  readonly consumerThrottlesThreshold: number;
  readonly transientFailures: TransientFailuresAlarmSettings;
  /** Whether the consumer circuit breaker acts on the transient-failure alarm (for its description). */
  readonly circuitBreaker: boolean;
}

/**
 * An alarm's name: `<prefix>-<alarm>`, where `alarm` is its id (`DeadLetterQueueNotEmpty`, `ConsumerHealth`,
 * ...). Known at synth time, so the functions an alarm invokes are told its name without referencing it.
 */
export function consumerAlarmName(prefix: string, alarm: string): string {
  return `${prefix}-${alarm}`;
}

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/** Creates the alarms in their own scope, so their logical ids read `Alarms...`. */
export function createConsumerAlarms(scope: Construct, props: ConsumerAlarmsProps): ConsumerAlarms {
  const alarms = new Construct(scope, 'Alarms');
  const alarmName = (alarm: string) => consumerAlarmName(props.alarmNamePrefix, alarm);

  const deadLetterQueueNotEmpty = props.deadLetterQueue
    .metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: cloudwatch.Stats.MAXIMUM })
    .createAlarm(alarms, 'DeadLetterQueueNotEmpty', {
      alarmName: alarmName('DeadLetterQueueNotEmpty'),
      alarmDescription:
        'Messages are in the DLQ: they failed every retry or were dead-lettered as permanent or too old.',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // An empty, idle queue stops reporting: no data means nothing is waiting.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

  const parkingQueueNotEmpty = props.parkingQueue
    ?.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: cloudwatch.Stats.MAXIMUM })
    .createAlarm(alarms, 'ParkingQueueNotEmpty', {
      alarmName: alarmName('ParkingQueueNotEmpty'),
      alarmDescription:
        'Messages are in the parking queue: they were redriven too often and nothing moves them on. Look at ' +
        'their failure metadata (sqs-failsafe peek), then redrive, move or delete them by hand.',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

  const oldestMessageAge = props.queue
    .metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE, statistic: cloudwatch.Stats.MAXIMUM })
    .createAlarm(alarms, 'OldestMessageAge', {
      alarmName: alarmName('OldestMessageAge'),
      alarmDescription:
        `A message has waited in the work queue longer than ${formatDuration(props.oldestMessageAgeThresholdSeconds)}: ` +
        'the consumer is falling behind or stuck.',
      threshold: props.oldestMessageAgeThresholdSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

  const consumerErrors = props.consumer
    .metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM })
    .createAlarm(alarms, 'ConsumerErrors', {
      alarmName: alarmName('ConsumerErrors'),
      alarmDescription:
        'Consumer invocations failed as a whole (crash or timeout): their entire batches will be redelivered.',
      threshold: props.consumerErrorsThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

  const consumerThrottles = props.consumer
    .metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM })
    .createAlarm(alarms, 'ConsumerThrottles', {
      alarmName: alarmName('ConsumerThrottles'),
      alarmDescription: 'Consumer invocations were throttled: the queue drains slower than it fills.',
      threshold: props.consumerThrottlesThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

  const transientFailures = createTransientFailuresAlarm(alarms, {
    queue: props.queue,
    settings: props.transientFailures,
    alarmName: alarmName('TransientFailures'),
    pausesConsumer: props.circuitBreaker,
  });

  const consumerHealth = new cloudwatch.CompositeAlarm(alarms, 'ConsumerHealth', {
    compositeAlarmName: alarmName('ConsumerHealth'),
    alarmDescription:
      'The consumer is unhealthy (records failing transiently, errors, throttles or old messages). Its return ' +
      'to OK is when a redrive is safe.',
    alarmRule: cloudwatch.AlarmRule.anyOf(
      transientFailures,
      consumerErrors,
      consumerThrottles,
      oldestMessageAge,
    ),
  });

  return {
    deadLetterQueueNotEmpty,
    ...(parkingQueueNotEmpty ? { parkingQueueNotEmpty } : {}),
    oldestMessageAge,
    consumerErrors,
    consumerThrottles,
    transientFailures,
    consumerHealth,
  };
}
