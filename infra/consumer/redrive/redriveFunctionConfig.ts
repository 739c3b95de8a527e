import { type RedriveConfig, redriveConfigProblems } from '../../../lib/config/redriveConfig.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import type { SettingProblem } from '../settings/InvalidConsumerSettingsError.js';
import { settingProblemsFrom } from '../settings/settingProblemsFrom.js';
import { isNotAboutAToken, withTokenStandIns } from '../settings/tokenStandIns.js';
import {
  REDRIVE_CONFIG_NAMES,
  type ResolvedRedriveSettings,
  resolveRedriveSettings,
} from './redriveSettings.js';

/** What the construct fills into the redrive function's configuration: its queues, topic and alarms. */
export interface RedriveAddresses {
  readonly deadLetterQueueUrl: string;
  readonly sourceQueueUrl: string;
  readonly topicArn: string;
  readonly parkingQueueUrl?: string | undefined;
  readonly healthAlarmName: string;
  readonly deadLetterQueueAlarmName: string;
}

/**
 * What the construct writes into the redrive function's SQS_FAILSAFE_REDRIVE_CONFIG: every setting with its
 * default completed, and the addresses. The one builder for validation (with stand-in addresses, before
 * anything exists) and for the deployed function, so that what is validated is what is written.
 *
 * @example
 * redriveFunctionConfig(settings, { deadLetterQueueUrl: dlq.queueUrl, sourceQueueUrl: queue.queueUrl, ... });
 */
export function redriveFunctionConfig(
  settings: ResolvedRedriveSettings,
  addresses: RedriveAddresses,
): RedriveConfig {
  return {
    dlqUrl: addresses.deadLetterQueueUrl,
    sourceQueueUrl: addresses.sourceQueueUrl,
    topicArn: addresses.topicArn,
    healthAlarmName: addresses.healthAlarmName,
    dlqAlarmName: addresses.deadLetterQueueAlarmName,
    maxMessagesPerRun: settings.maxMessagesPerRun,
    ratePerSecond: settings.ratePerSecond,
    cooldownSeconds: settings.cooldownSeconds,
    maxRedrivesPerMessage: settings.maxRedrivesPerMessage,
    ...(addresses.parkingQueueUrl === undefined ? {} : { parkingQueueUrl: addresses.parkingQueueUrl }),
    circuitBreaker: settings.circuitBreaker,
    continuation: settings.continuation,
    ...(settings.continuation === 'self-invoke' ? { maxContinuations: settings.maxContinuations } : {}),
    concurrency: settings.concurrency,
  };
}

/**
 * What the redrive function would refuse at cold start (readRedriveConfig), judged on the configuration the
 * construct writes for it: stand-ins for the queues and the topic it creates, the alarm names it gives them.
 */
export function redriveFunctionConfigProblems(
  props: FailsafeConsumerProps,
  fifo: boolean,
  alarmNames: { readonly health: string; readonly deadLetterQueue: string },
): SettingProblem[] {
  const settings = resolveRedriveSettings(props);
  if (settings === undefined) return [];
  const queue = (name: string) =>
    `https://sqs.us-east-1.amazonaws.com/111122223333/${name}${fifo ? '.fifo' : ''}`;
  const written = redriveFunctionConfig(settings, {
    deadLetterQueueUrl: queue('dead-letters'),
    sourceQueueUrl: queue('work'),
    topicArn: 'arn:aws:sns:us-east-1:111122223333:outcomes',
    parkingQueueUrl: settings.parkingQueue ? queue('parked') : undefined,
    healthAlarmName: alarmNames.health,
    deadLetterQueueAlarmName: alarmNames.deadLetterQueue,
  });
  const lines = redriveConfigProblems(withTokenStandIns(written)).filter(isNotAboutAToken);
  return settingProblemsFrom('redrive', props.redrive, lines, REDRIVE_CONFIG_NAMES);
}
