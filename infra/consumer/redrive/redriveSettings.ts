import {
  REDRIVE_CONFIG_DEFAULTS,
  type RedriveContinuation,
  type ReturnBreakerConfig,
  redriveConfigProblems,
} from '../../../lib/config/redriveConfig.js';
import { durationSeconds } from '../durations/durationSeconds.js';
import type { FailsafeConsumerProps, RedriveSettings } from '../failsafeConsumerProps.js';
import { type ConfigNames, settingsAsConfig } from '../settings/configNames.js';
import type { SettingProblem } from '../settings/InvalidConsumerSettingsError.js';
import { isIntegerIn, isWholeMinutesIn, showSeconds } from '../settings/settingChecks.js';
import { settingProblemsFrom } from '../settings/settingProblemsFrom.js';

/** How the redrive settings are written into SQS_FAILSAFE_REDRIVE_CONFIG (see RedriveConfig). */
export const REDRIVE_CONFIG_NAMES: ConfigNames = {
  cooldown: 'cooldownSeconds',
  returnBreaker: ['circuitBreaker', { window: 'windowSeconds', openDuration: 'openSeconds' }],
};

/** The redrive function's own defaults; the configuration's come from REDRIVE_CONFIG_DEFAULTS. */
export const REDRIVE_FUNCTION_DEFAULTS = {
  scheduleSeconds: 300,
  timeoutSeconds: 300,
  memorySize: 256,
  parkingQueue: false,
} as const;

/** The redrive function's settings with every default applied. */
export interface ResolvedRedriveSettings {
  readonly cooldownSeconds: number;
  readonly maxMessagesPerRun: number;
  readonly ratePerSecond: number;
  readonly maxRedrivesPerMessage: number;
  readonly circuitBreaker: Required<ReturnBreakerConfig>;
  readonly continuation: RedriveContinuation;
  readonly maxContinuations: number;
  readonly scheduleSeconds: number;
  readonly concurrency: number;
  readonly parkingQueue: boolean;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
}

/** The settings of the redrive function the construct creates, or undefined when it creates none. */
export function resolveRedriveSettings(props: FailsafeConsumerProps): ResolvedRedriveSettings | undefined {
  if (props.redrive === false || props.redriveFunction !== undefined) return undefined;
  const settings: RedriveSettings = props.redrive ?? {};
  const defaults = REDRIVE_CONFIG_DEFAULTS;
  const returnBreaker = settings.returnBreaker ?? {};
  return {
    cooldownSeconds: durationSeconds(settings.cooldown, defaults.cooldownSeconds),
    maxMessagesPerRun: settings.maxMessagesPerRun ?? defaults.maxMessagesPerRun,
    ratePerSecond: settings.ratePerSecond ?? defaults.ratePerSecond,
    maxRedrivesPerMessage: settings.maxRedrivesPerMessage ?? defaults.maxRedrivesPerMessage,
    circuitBreaker: {
      returnThreshold: returnBreaker.returnThreshold ?? defaults.circuitBreaker.returnThreshold,
      windowSeconds: durationSeconds(returnBreaker.window, defaults.circuitBreaker.windowSeconds),
      minRedriven: returnBreaker.minRedriven ?? defaults.circuitBreaker.minRedriven,
      openSeconds: durationSeconds(returnBreaker.openDuration, defaults.circuitBreaker.openSeconds),
    },
    continuation: settings.continuation ?? defaults.continuation,
    maxContinuations: settings.maxContinuations ?? defaults.maxContinuations,
    scheduleSeconds: durationSeconds(settings.scheduleInterval, REDRIVE_FUNCTION_DEFAULTS.scheduleSeconds),
    concurrency: settings.concurrency ?? defaults.concurrency,
    parkingQueue: settings.parkingQueue ?? REDRIVE_FUNCTION_DEFAULTS.parkingQueue,
    timeoutSeconds: durationSeconds(settings.timeout, REDRIVE_FUNCTION_DEFAULTS.timeoutSeconds),
    memorySize: settings.memorySize ?? REDRIVE_FUNCTION_DEFAULTS.memorySize,
  };
}

/** Stand-ins for the addresses the construct fills in, so that only the user's settings are judged. */
const PLACEHOLDER_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/';

/**
 * Every problem with the redrive settings: the configuration schema the function reads them with at cold
 * start (readRedriveConfig), and the construct's own rules.
 */
export function redriveSettingsProblems(props: FailsafeConsumerProps, fifo: boolean): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const add = (prop: string, value: string, allowed: string) => problems.push({ prop, value, allowed });
  if (props.redrive !== undefined && props.redriveFunction !== undefined) {
    add(
      'redrive',
      props.redrive === false
        ? 'false'
        : `{${Object.keys(props.redrive)
            .map((key) => ` ${key}`)
            .join(',')} }`,
      'leave it unset when you give redriveFunction: the construct then creates no redrive function, and ' +
        'yours is configured by you',
    );
    return problems;
  }
  if (props.redrive === undefined || props.redrive === false) return problems;

  const { scheduleInterval, parkingQueue, timeout, memorySize, ...knobs } = props.redrive;
  const { config, problems: unwritable } = settingsAsConfig('redrive', knobs, REDRIVE_CONFIG_NAMES);
  problems.push(...unwritable);
  const suffix = fifo ? '.fifo' : '';
  const candidate = {
    dlqUrl: `${PLACEHOLDER_QUEUE_URL}dlq${suffix}`,
    sourceQueueUrl: `${PLACEHOLDER_QUEUE_URL}source${suffix}`,
    ...config,
  };
  problems.push(
    ...settingProblemsFrom('redrive', knobs, redriveConfigProblems(candidate), REDRIVE_CONFIG_NAMES),
  );

  const continuation = knobs.continuation ?? REDRIVE_CONFIG_DEFAULTS.continuation;
  if (scheduleInterval !== undefined) {
    const scheduleSeconds = durationSeconds(scheduleInterval, Number.NaN);
    if (!isWholeMinutesIn(scheduleSeconds, 60, 86_400)) {
      add(
        'redrive.scheduleInterval',
        showSeconds(scheduleSeconds),
        'whole minutes from 1 min to 1 day (an EventBridge rate)',
      );
    }
  }
  if (knobs.maxContinuations !== undefined && continuation !== 'self-invoke') {
    add(
      'redrive.maxContinuations',
      String(knobs.maxContinuations),
      `applies to continuation "self-invoke" only (continuation is "${continuation}")`,
    );
  }
  if (timeout !== undefined) {
    const timeoutSeconds = durationSeconds(timeout, Number.NaN);
    if (!isIntegerIn(timeoutSeconds, 30, 900)) {
      add(
        'redrive.timeout',
        showSeconds(timeoutSeconds),
        'whole seconds from 30 s to 15 min: a run stops 10 s before the timeout, so a shorter one leaves ' +
          'it no time to move anything',
      );
    }
  }
  if (memorySize !== undefined && !isIntegerIn(memorySize, 128, 10_240)) {
    add('redrive.memorySize', String(memorySize), 'an integer from 128 to 10,240 MB (Lambda)');
  }
  return problems;
}
