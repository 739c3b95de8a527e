import { Token } from 'aws-cdk-lib';
import { UNREPORTED_RECEIVE_ALLOWANCE } from '../../../lib/attempts/receiveCountSafetyNet.js';
import {
  MAX_ALARM_ACTIONS as CLOUDWATCH_MAX_ALARM_ACTIONS,
  MAX_BATCHING_WINDOW_SECONDS,
  MAX_DELIVERY_DELAY_SECONDS,
  MAX_FUNCTION_TIMEOUT_SECONDS,
  MAX_RETENTION_SECONDS,
  MAX_VISIBILITY_SECONDS,
  MIN_RETENTION_SECONDS,
} from '../../../lib/aws/serviceLimits.js';
import {
  MAX_ATTEMPTS,
  NOTIFICATION_EVENT_TYPES,
  type NotificationEventType,
} from '../../../lib/config/batchConfig.js';
import { isSupportedNodeRuntime, SUPPORTED_NODE_RUNTIMES } from '../../bundling/nodeRuntime.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import { describeRetryHorizon } from '../retry/retryHorizon.js';
import type { ConsumerSettings } from './consumerSettings.js';
import type { SettingProblem } from './InvalidConsumerSettingsError.js';
import { isIn, isIntegerIn, show, showSeconds } from './settingChecks.js';

/** CloudWatch's actions per alarm state, less the redrive function's. */
const MAX_ALARM_ACTIONS = CLOUDWATCH_MAX_ALARM_ACTIONS - 1;

/**
 * Every way the given settings can lose or mishandle messages, or be rejected by AWS at deploy time.
 * Returns all problems; an empty list means the construct may be built. The rules are listed, with their
 * reasons, in docs/construct.md ("Synth-time validation").
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
  const maxBatchSize = settings.fifo ? 10 : 10_000;
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
  } else if (settings.batchSize > 10 && window < 1) {
    add(
      'maxBatchingWindow',
      showSeconds(window),
      `at least 1 s when batchSize (${settings.batchSize}) is above 10 (Lambda)`,
    );
  }
  if (props.maxConcurrency !== undefined && !isIntegerIn(props.maxConcurrency, 2, 1_000)) {
    add('maxConcurrency', String(props.maxConcurrency), 'an integer from 2 to 1000 (Lambda)');
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
  if (!isIn(settings.deadLetterRetentionSeconds, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS)) {
    add(
      'deadLetterRetentionPeriod',
      showSeconds(settings.deadLetterRetentionSeconds),
      'from 1 min to 14 days (SQS)',
    );
  } else if (
    !settings.fifo &&
    isIn(settings.retentionSeconds, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS) &&
    !(settings.deadLetterRetentionSeconds > settings.retentionSeconds)
  ) {
    add(
      'deadLetterRetentionPeriod',
      showSeconds(settings.deadLetterRetentionSeconds),
      `longer than retentionPeriod (${showSeconds(settings.retentionSeconds)}) and at most 14 days: a standard ` +
        'queue keeps the original enqueue time when it dead-letters a message, so the DLQ would expire it early',
    );
  }
  if (props.visibilityTimeout !== undefined) {
    const visibility = settings.visibilityTimeoutSeconds;
    if (!(visibility >= settings.minimumVisibilityTimeoutSeconds && visibility <= MAX_VISIBILITY_SECONDS)) {
      add(
        'visibilityTimeout',
        showSeconds(visibility),
        `from ${showSeconds(settings.minimumVisibilityTimeoutSeconds)} (6 × function timeout ` +
          `${showSeconds(settings.functionTimeoutSeconds)} + maxBatchingWindow ${showSeconds(window)}, as AWS ` +
          'recommends; a shorter one redelivers messages still being processed) to 12 h',
      );
    }
  }
  if (!isIntegerIn(settings.deliveryDelaySeconds, 0, MAX_DELIVERY_DELAY_SECONDS)) {
    add(
      'deliveryDelay',
      showSeconds(settings.deliveryDelaySeconds),
      'whole seconds from 0 s to 15 min (SQS)',
    );
  }
  // A maxReceiveCount the construct derived is checked against its formula instead (safetyNetProblems).
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
  problems.push(...safetyNetProblems(props, settings));
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
  // The horizon is only compared once its inputs are valid: an out-of-range input is reported above.
  const horizon = settings.horizon;
  const horizonComparable =
    Number.isFinite(horizon.totalSeconds) &&
    isIn(settings.retentionSeconds, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS) &&
    isIntegerIn(settings.maxReceiveCount, 1, 1_000);
  if (horizonComparable && !(horizon.totalSeconds < settings.retentionSeconds)) {
    add(
      'retentionPeriod',
      showSeconds(settings.retentionSeconds),
      `longer than the retry horizon ${describeRetryHorizon(horizon)}: a message still being retried ` +
        'would expire and be lost; raise retentionPeriod or shorten the redelivery backoff or maxReceiveCount',
    );
  }
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

/**
 * The queue's maxReceiveCount is a safety net for receives nobody reports on (docs/failure-routing.md,
 * "The queue's maxReceiveCount"): below the formula, SQS would move messages that were only waiting or not
 * yet out of attempts, without their metadata.
 */
function safetyNetProblems(props: FailsafeConsumerProps, settings: ConsumerSettings): SettingProblem[] {
  const minimum = settings.minimumMaxReceiveCount;
  const formula = settings.fifo
    ? `batchSize × (maxAttempts + 1) − 1 + ${UNREPORTED_RECEIVE_ALLOWANCE} = ${settings.batchSize} × (${settings.maxAttempts} + 1) − 1 + ${UNREPORTED_RECEIVE_ALLOWANCE}`
    : settings.redelivery === 'copy'
      ? `1 + ${UNREPORTED_RECEIVE_ALLOWANCE} (copies restart the receive count)`
      : `maxAttempts + ${UNREPORTED_RECEIVE_ALLOWANCE} = ${settings.maxAttempts} + ${UNREPORTED_RECEIVE_ALLOWANCE}`;
  const why =
    `the receives a message can have while every invocation reports on it, plus ${UNREPORTED_RECEIVE_ALLOWANCE} ` +
    'for crashes, timeouts and throttles: with less, SQS moves messages that were only waiting, or had attempts ' +
    'left, to the DLQ without their failure metadata';
  if (minimum > 1_000) {
    return [
      {
        prop: 'failsafe.deadLetter.maxAttempts',
        value: String(settings.maxAttempts),
        allowed:
          `at most ${Math.floor((1_000 - UNREPORTED_RECEIVE_ALLOWANCE + 1) / settings.batchSize) - 1} with batchSize ` +
          `${settings.batchSize}: the queue's maxReceiveCount would have to be ${formula} = ${minimum}, over SQS's 1000`,
      },
    ];
  }
  if (props.maxReceiveCount !== undefined && props.maxReceiveCount < minimum) {
    return [
      {
        prop: 'maxReceiveCount',
        value: String(props.maxReceiveCount),
        allowed: `at least ${minimum} (${formula}): ${why}`,
      },
    ];
  }
  return [];
}
