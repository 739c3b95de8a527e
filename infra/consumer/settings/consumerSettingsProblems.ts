import { RemovalPolicy, Token } from 'aws-cdk-lib';
import {
  MAX_ALARM_ACTIONS as CLOUDWATCH_MAX_ALARM_ACTIONS,
  MAX_BATCH_SIZE_WITHOUT_WINDOW,
  MAX_BATCHING_WINDOW_SECONDS,
  MAX_DELIVERY_DELAY_SECONDS,
  MAX_FIFO_BATCH_SIZE,
  MAX_FUNCTION_TIMEOUT_SECONDS,
  MAX_MAPPING_CONCURRENCY,
  MAX_RETENTION_SECONDS,
  MAX_STANDARD_BATCH_SIZE,
  MAX_VISIBILITY_SECONDS,
  MIN_MAPPING_CONCURRENCY,
  MIN_RETENTION_SECONDS,
} from '../../../lib/aws/serviceLimits.js';
import {
  MAX_ATTEMPTS,
  NOTIFICATION_EVENT_TYPES,
  type NotificationEventType,
} from '../../../lib/config/batchConfig.js';
import { isSupportedNodeRuntime, SUPPORTED_NODE_RUNTIMES } from '../../bundling/nodeRuntime.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import type { ConsumerSettings } from './consumerSettings.js';
import type { SettingProblem } from './InvalidConsumerSettingsError.js';
import { provisionedPollersProblems } from './provisionedPollers.js';
import { isIn, isIntegerIn, show, showSeconds } from './settingChecks.js';

/** What a queue can do when it leaves the stack: SQS queues cannot be snapshotted. */
const REMOVAL_POLICIES: readonly string[] = [
  RemovalPolicy.RETAIN,
  RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  RemovalPolicy.DESTROY,
];

/** CloudWatch's actions per alarm state, less the redrive function's. */
const MAX_ALARM_ACTIONS = CLOUDWATCH_MAX_ALARM_ACTIONS - 1;

/**
 * Every prop outside what AWS or the construct accepts, or that contradicts another prop: the ranges and the
 * agreements between props. Relations between resources (retention against the retry horizon, the breaker's
 * pause, reserved concurrency, ...) are setup rules (lib/setupRules), applied after these. Returns all
 * problems; listed with their reasons in docs/construct.md ("Synth-time validation").
 */
export function consumerSettingsProblems(
  props: FailsafeConsumerProps,
  settings: ConsumerSettings,
): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const add = (prop: string, value: string, allowed: string) => problems.push({ prop, value, allowed });
  const queueType = settings.fifo ? 'FIFO' : 'standard';

  // ----- which function -----
  if (props.entry !== undefined && props.consumerFunction !== undefined) {
    add('entry', props.entry, 'give either entry or consumerFunction, not both');
  }
  if (props.consumerFunction !== undefined) {
    for (const prop of ['timeout', 'memorySize', 'environment', 'logRetention'] as const) {
      if (props[prop] !== undefined) {
        add(
          prop,
          show(props[prop]),
          'applies only to a function the construct bundles; set it on consumerFunction',
        );
      }
    }
  }
  if (props.runtime !== undefined && !isSupportedNodeRuntime(props.runtime)) {
    add(
      'runtime',
      props.runtime.name,
      `${SUPPORTED_NODE_RUNTIMES.join(' or ')} (the Node.js versions sqs-failsafe runs on)`,
    );
  }
  if (props.consumerFunction === undefined) {
    if (!isIntegerIn(settings.functionTimeoutSeconds, 1, MAX_FUNCTION_TIMEOUT_SECONDS)) {
      add(
        'timeout',
        showSeconds(settings.functionTimeoutSeconds),
        'whole seconds from 1 s to 15 min (Lambda)',
      );
    }
    if (props.memorySize !== undefined && !isIntegerIn(props.memorySize, 128, 10_240)) {
      add('memorySize', String(props.memorySize), 'an integer from 128 to 10,240 MB (Lambda)');
    }
  }

  // ----- FIFO or standard -----
  for (const prop of ['queueName', 'deadLetterQueueName'] as const) {
    const name = props[prop];
    if (name === undefined || Token.isUnresolved(name)) continue;
    if (name.endsWith('.fifo') !== settings.fifo) {
      add(
        prop,
        name,
        settings.fifo
          ? 'a FIFO queue name ends in ".fifo" (fifo is true)'
          : 'only FIFO queue names end in ".fifo": set fifo to true or rename the queue',
      );
    } else if (!/^[A-Za-z0-9_-]{1,75}(\.fifo)?$/.test(name) || name.length > 80) {
      add(prop, name, 'up to 80 characters: letters, digits, hyphens and underscores, then ".fifo" for FIFO');
    }
  }
  if (!settings.fifo && props.failsafe?.fifoMode !== undefined) {
    add('failsafe.fifoMode', props.failsafe.fifoMode, 'applies to FIFO queues only (fifo is false)');
  }
  if (!settings.fifo && props.contentBasedDeduplication !== undefined) {
    add(
      'contentBasedDeduplication',
      String(props.contentBasedDeduplication),
      'applies to FIFO queues only (fifo is false)',
    );
  }

  // ----- event source mapping -----
  const maxBatchSize = settings.fifo ? MAX_FIFO_BATCH_SIZE : MAX_STANDARD_BATCH_SIZE;
  if (!isIntegerIn(settings.batchSize, 1, maxBatchSize)) {
    add(
      'batchSize',
      String(settings.batchSize),
      `an integer from 1 to ${maxBatchSize} for ${queueType} queues`,
    );
  }
  const window = settings.maxBatchingWindowSeconds;
  if (settings.fifo) {
    if (props.maxBatchingWindow !== undefined) {
      add('maxBatchingWindow', showSeconds(window), 'FIFO queues take no batching window: leave it unset');
    }
  } else if (!isIntegerIn(window, 0, MAX_BATCHING_WINDOW_SECONDS)) {
    add('maxBatchingWindow', showSeconds(window), 'whole seconds from 0 s to 5 min (300 s)');
  } else if (settings.batchSize > MAX_BATCH_SIZE_WITHOUT_WINDOW && window < 1) {
    add(
      'maxBatchingWindow',
      showSeconds(window),
      `at least 1 s when batchSize (${settings.batchSize}) is above ${MAX_BATCH_SIZE_WITHOUT_WINDOW} (Lambda)`,
    );
  }
  if (
    props.maxConcurrency !== undefined &&
    !isIntegerIn(props.maxConcurrency, MIN_MAPPING_CONCURRENCY, MAX_MAPPING_CONCURRENCY)
  ) {
    add(
      'maxConcurrency',
      String(props.maxConcurrency),
      `an integer from ${MIN_MAPPING_CONCURRENCY} to ${MAX_MAPPING_CONCURRENCY} (Lambda)`,
    );
  }
  problems.push(...provisionedPollersProblems(props.provisionedPollers));
  for (const prop of ['mappingMetrics', 'tracing'] as const) {
    if (props[prop] !== undefined && typeof props[prop] !== 'boolean') {
      add(prop, show(props[prop]), 'true or false');
    }
  }
  if (
    props.deadLetterRemovalPolicy !== undefined &&
    !REMOVAL_POLICIES.includes(props.deadLetterRemovalPolicy)
  ) {
    add(
      'deadLetterRemovalPolicy',
      show(props.deadLetterRemovalPolicy),
      'RemovalPolicy.RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY: SQS queues have no snapshot',
    );
  }
  if (props.alarmActions !== undefined && props.alarmActions.length > MAX_ALARM_ACTIONS) {
    add(
      'alarmActions',
      `${props.alarmActions.length} actions`,
      `at most ${MAX_ALARM_ACTIONS}: CloudWatch allows 5 actions per alarm state and the redrive function ` +
        'takes one; fan out through one SNS topic instead',
    );
  }

  // ----- queues -----
  if (!isIn(settings.retentionSeconds, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS)) {
    add('retentionPeriod', showSeconds(settings.retentionSeconds), 'from 1 min to 14 days (SQS)');
  }
  // Its relation to the work queue's is a setup rule (dead-letter-retention-outlasts-source).
  if (!isIn(settings.deadLetterRetentionSeconds, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS)) {
    add(
      'deadLetterRetentionPeriod',
      showSeconds(settings.deadLetterRetentionSeconds),
      'from 1 min to 14 days (SQS)',
    );
  }
  // Its relation to the function timeout is a setup rule (visibility-timeout-covers-invocations).
  if (props.visibilityTimeout !== undefined) {
    const visibility = settings.visibilityTimeoutSeconds;
    if (!isIntegerIn(visibility, 0, MAX_VISIBILITY_SECONDS)) {
      add('visibilityTimeout', showSeconds(visibility), 'whole seconds from 0 s to 12 h (SQS)');
    }
  }
  if (!isIntegerIn(settings.deliveryDelaySeconds, 0, MAX_DELIVERY_DELAY_SECONDS)) {
    add(
      'deliveryDelay',
      showSeconds(settings.deliveryDelaySeconds),
      'whole seconds from 0 s to 15 min (SQS)',
    );
  }
  // A maxReceiveCount the construct derived is checked against its formula instead (max-receive-count-safety-net).
  if (props.maxReceiveCount !== undefined && !isIntegerIn(settings.maxReceiveCount, 1, 1_000)) {
    add(
      'maxReceiveCount',
      String(settings.maxReceiveCount),
      'an integer from 1 to 1000 (SQS redrive policy)',
    );
  }

  // ----- failure handling -----
  const deadLetter = props.failsafe?.deadLetter;
  if (!isIntegerIn(settings.maxAttempts, 1, MAX_ATTEMPTS)) {
    add(
      'failsafe.deadLetter.maxAttempts',
      String(settings.maxAttempts),
      `an integer from 1 to ${MAX_ATTEMPTS}`,
    );
  }
  // The queue's maxReceiveCount against the formula is a setup rule (max-receive-count-safety-net).
  // Not in the type, but a JavaScript caller could still pass it, and it would be silently replaced.
  const runtimeLedger = (props.failsafe as { attemptLedger?: unknown } | undefined)?.attemptLedger;
  if (runtimeLedger !== undefined) {
    add(
      'failsafe.attemptLedger',
      show(runtimeLedger),
      'unset: the construct creates the attempt ledger (attemptLedgerTable) and grants the consumer access to it',
    );
  }
  if (settings.fifo && props.failsafe?.redelivery === 'copy') {
    add(
      'failsafe.redelivery',
      "'copy'",
      "'visibility' or unset on a FIFO queue: a copy would join the end of its message group, after messages sent later",
    );
  }
  problems.push(...redeliveryProblems(props, settings));
  if (
    deadLetter?.maxAgeSeconds !== undefined &&
    !(deadLetter.maxAgeSeconds > 0 && deadLetter.maxAgeSeconds < settings.retentionSeconds)
  ) {
    add(
      'failsafe.deadLetter.maxAgeSeconds',
      showSeconds(deadLetter.maxAgeSeconds),
      `more than 0 s and less than retentionPeriod (${showSeconds(settings.retentionSeconds)}): ` +
        'a message that old has already expired',
    );
  }
  // The retry horizon against the retention is a setup rule (retention-outlasts-retry-horizon).
  const safetyMarginMs = props.failsafe?.safetyMarginMs;
  if (safetyMarginMs !== undefined && !(safetyMarginMs < settings.functionTimeoutSeconds * 1_000)) {
    add(
      'failsafe.safetyMarginMs',
      `${safetyMarginMs} ms`,
      `less than the function timeout (${showSeconds(settings.functionTimeoutSeconds)}), or no record ever starts`,
    );
  }
  for (const event of props.failsafe?.notifications?.events ?? []) {
    if (!NOTIFICATION_EVENT_TYPES.includes(event as NotificationEventType)) {
      add('failsafe.notifications.events', event, `one of ${NOTIFICATION_EVENT_TYPES.join(', ')}`);
    }
  }

  // ----- alarms -----
  if (
    props.oldestMessageAgeThreshold !== undefined &&
    !(
      settings.oldestMessageAgeThresholdSeconds >= 1 &&
      settings.oldestMessageAgeThresholdSeconds < settings.retentionSeconds
    )
  ) {
    add(
      'oldestMessageAgeThreshold',
      showSeconds(settings.oldestMessageAgeThresholdSeconds),
      `from 1 s to less than retentionPeriod (${showSeconds(settings.retentionSeconds)}), or it fires after the loss`,
    );
  }
  for (const prop of ['consumerErrorsThreshold', 'consumerThrottlesThreshold'] as const) {
    if (!isIntegerIn(settings[prop], 1, Number.MAX_SAFE_INTEGER)) {
      add(prop, String(settings[prop]), 'an integer of at least 1');
    }
  }
  return problems;
}

/** The redelivery backoff's own ranges, and the schedule's agreement with the receive limit. */
function redeliveryProblems(props: FailsafeConsumerProps, settings: ConsumerSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const prop = 'failsafe.redeliveryBackoff';
  const backoff = settings.redeliveryBackoff;
  const waitRange = 'whole seconds from 0 to 43,200 (12 h, the longest visibility timeout)';
  if ('scheduleSeconds' in backoff) {
    const schedule = backoff.scheduleSeconds;
    if (schedule.length === 0) {
      problems.push({ prop: `${prop}.scheduleSeconds`, value: '[]', allowed: 'at least one wait (t_1)' });
      return problems;
    }
    schedule.forEach((wait, index) => {
      if (!isIntegerIn(wait, 0, MAX_VISIBILITY_SECONDS)) {
        problems.push({ prop: `${prop}.scheduleSeconds[${index}]`, value: String(wait), allowed: waitRange });
      }
    });
    // n waits sit between n + 1 attempts; the runtime dead-letters on the last.
    const n = schedule.length;
    const attempts = props.failsafe?.deadLetter?.maxAttempts;
    if (attempts !== undefined && attempts !== n + 1) {
      problems.push({
        prop: 'failsafe.deadLetter.maxAttempts',
        value: String(attempts),
        allowed:
          `${n + 1}: the redelivery schedule has ${n} waits (t_1..t_${n}), which sit between ${n + 1} attempts; ` +
          (attempts < n + 1
            ? `dead-lettering on attempt ${attempts} never uses t_${Math.max(attempts, 1)}..t_${n}`
            : `dead-lettering on attempt ${attempts} repeats t_${n} ${attempts - 1 - n} more time(s)`),
      });
    }
    return problems;
  }
  if (!isIntegerIn(backoff.baseSeconds, 0, MAX_VISIBILITY_SECONDS)) {
    problems.push({ prop: `${prop}.baseSeconds`, value: String(backoff.baseSeconds), allowed: waitRange });
  }
  if (
    !isIntegerIn(backoff.maxSeconds, 0, MAX_VISIBILITY_SECONDS) ||
    backoff.maxSeconds < backoff.baseSeconds
  ) {
    problems.push({
      prop: `${prop}.maxSeconds`,
      value: String(backoff.maxSeconds),
      allowed: `${waitRange}, and at least baseSeconds (${backoff.baseSeconds})`,
    });
  }
  if (!(Number.isFinite(backoff.multiplier) && backoff.multiplier >= 1)) {
    problems.push({
      prop: `${prop}.multiplier`,
      value: String(backoff.multiplier),
      allowed: 'a number of at least 1',
    });
  }
  return problems;
}
