import {
  CONSUMER_BREAKER_DEFAULTS,
  consumerBreakerConfigProblems,
} from '../../../lib/config/consumerBreakerConfig.js';
import { durationSeconds } from '../durations/durationSeconds.js';
import type { ConsumerBreakerSettings, FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import type { TransientFailuresAlarmSettings } from '../monitoring/transientFailuresAlarm.js';
import { type ConfigNames, settingsAsConfig } from '../settings/configNames.js';
import type { SettingProblem } from '../settings/InvalidConsumerSettingsError.js';
import { isIntegerIn, isWholeMinutesIn, show, showSeconds } from '../settings/settingChecks.js';
import { settingProblemsFrom } from '../settings/settingProblemsFrom.js';

/**
 * The transient-failure alarm's defaults: at least half of the records failing with a retryable error, and
 * at least 10 of them, in 2 of 3 minutes. It reacts within about three minutes, which the default
 * redelivery backoffs outlast (the first waits add up to more), so messages are paused before they run out
 * of receives.
 */
export const BREAKER_ALARM_DEFAULTS = {
  threshold: 10,
  failureRatePercent: 50,
  periodSeconds: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
} as const;

/** How the controller's settings are written into SQS_FAILSAFE_BREAKER_CONFIG (see BreakerConfig). */
export const BREAKER_CONFIG_NAMES: ConfigNames = {
  cooldown: 'coolDownSeconds',
  probeInterval: 'probeSeconds',
};

/** The consumer circuit breaker's settings with every default applied, durations in seconds. */
export interface ResolvedBreakerSettings extends TransientFailuresAlarmSettings {
  readonly cooldownSeconds: number;
  readonly halfOpenConcurrency: number;
  /** The mapping's maxConcurrency, restored on close; undefined: the mapping has no maximum. */
  readonly fullConcurrency: number | undefined;
  readonly probeSeconds: number;
}

/** The transient-failure alarm's settings: the breaker's, or the defaults when the breaker is off. */
export function resolveTransientFailuresAlarmSettings(
  props: FailsafeConsumerProps,
): TransientFailuresAlarmSettings {
  const settings: ConsumerBreakerSettings =
    props.circuitBreaker === false ? {} : (props.circuitBreaker ?? {});
  return {
    threshold: settings.threshold ?? BREAKER_ALARM_DEFAULTS.threshold,
    failureRatePercent: settings.failureRatePercent ?? BREAKER_ALARM_DEFAULTS.failureRatePercent,
    periodSeconds: durationSeconds(settings.period, BREAKER_ALARM_DEFAULTS.periodSeconds),
    evaluationPeriods: settings.evaluationPeriods ?? BREAKER_ALARM_DEFAULTS.evaluationPeriods,
    datapointsToAlarm: settings.datapointsToAlarm ?? BREAKER_ALARM_DEFAULTS.datapointsToAlarm,
  };
}

/** The breaker's settings, or undefined when it is off. */
export function resolveBreakerSettings(props: FailsafeConsumerProps): ResolvedBreakerSettings | undefined {
  if (props.circuitBreaker === false) return undefined;
  const settings: ConsumerBreakerSettings = props.circuitBreaker ?? {};
  return {
    ...resolveTransientFailuresAlarmSettings(props),
    cooldownSeconds: durationSeconds(settings.cooldown, CONSUMER_BREAKER_DEFAULTS.coolDownSeconds),
    halfOpenConcurrency: settings.halfOpenConcurrency ?? CONSUMER_BREAKER_DEFAULTS.halfOpenConcurrency,
    fullConcurrency: settings.fullConcurrency ?? props.maxConcurrency,
    probeSeconds: durationSeconds(settings.probeInterval, CONSUMER_BREAKER_DEFAULTS.probeSeconds),
  };
}

/** Stand-ins for what the construct fills in, so that only the user's settings are judged. */
const PLACEHOLDERS = { mappingUuid: '00000000-0000-4000-8000-000000000000', alarmName: 'transient-failures' };

/**
 * Every problem with the breaker settings: the controller's configuration schema (consumerBreakerConfigProblems,
 * what it reads at cold start), the alarm's CloudWatch limits, and the rules that tie them together.
 */
export function breakerSettingsProblems(props: FailsafeConsumerProps): SettingProblem[] {
  const resolved = resolveBreakerSettings(props);
  if (resolved === undefined || props.circuitBreaker === false) return [];
  const given = props.circuitBreaker ?? {};
  const problems: SettingProblem[] = [];
  const add = (prop: string, value: string, allowed: string) => problems.push({ prop, value, allowed });

  // The controller's own settings, through the schema the controller reads them with.
  const { threshold, failureRatePercent, period, evaluationPeriods, datapointsToAlarm, ...controller } =
    given;
  const { config, problems: unwritable } = settingsAsConfig(
    'circuitBreaker',
    controller,
    BREAKER_CONFIG_NAMES,
  );
  problems.push(
    ...unwritable,
    ...settingProblemsFrom(
      'circuitBreaker',
      controller,
      consumerBreakerConfigProblems({ ...PLACEHOLDERS, ...config }),
      BREAKER_CONFIG_NAMES,
    ),
  );

  // The alarm.
  if (!isIntegerIn(resolved.threshold, 1, Number.MAX_SAFE_INTEGER)) {
    add(
      'circuitBreaker.threshold',
      show(resolved.threshold),
      'an integer of at least 1 (transient failures)',
    );
  }
  if (!isIntegerIn(resolved.failureRatePercent, 1, 100)) {
    add(
      'circuitBreaker.failureRatePercent',
      show(resolved.failureRatePercent),
      'an integer from 1 to 100 (percent of records failing with a retryable error)',
    );
  }
  const periodValid = isWholeMinutesIn(resolved.periodSeconds, 60, 86_400);
  if (!periodValid) {
    add(
      'circuitBreaker.period',
      showSeconds(resolved.periodSeconds),
      'whole minutes from 1 min to 1 day: the runtime emits standard-resolution metrics',
    );
  }
  const periodsValid = isIntegerIn(resolved.evaluationPeriods, 1, 1_440);
  if (!periodsValid) {
    add('circuitBreaker.evaluationPeriods', show(resolved.evaluationPeriods), 'an integer of at least 1');
  }
  const windowSeconds = resolved.periodSeconds * resolved.evaluationPeriods;
  const windowValid = periodValid && periodsValid && windowSeconds <= 86_400;
  if (periodValid && periodsValid && !windowValid) {
    add(
      'circuitBreaker.evaluationPeriods',
      show(resolved.evaluationPeriods),
      `at most ${86_400 / resolved.periodSeconds}: period × evaluationPeriods may span 1 day at most (CloudWatch)`,
    );
  }
  if (periodsValid && !isIntegerIn(resolved.datapointsToAlarm, 1, resolved.evaluationPeriods)) {
    add(
      'circuitBreaker.datapointsToAlarm',
      show(resolved.datapointsToAlarm),
      `an integer from 1 to evaluationPeriods (${resolved.evaluationPeriods})`,
    );
  }

  // The probe: a schedule every probeInterval, and a decision only once the alarm has seen a probe's traffic.
  if (isIntegerIn(resolved.probeSeconds, 1, 86_400)) {
    if (!isWholeMinutesIn(resolved.probeSeconds, 60, 86_400)) {
      add(
        'circuitBreaker.probeInterval',
        showSeconds(resolved.probeSeconds),
        'whole minutes from 1 min: the probe schedule is an EventBridge rate',
      );
    } else if (windowValid && resolved.probeSeconds < windowSeconds) {
      add(
        'circuitBreaker.probeInterval',
        showSeconds(resolved.probeSeconds),
        `at least period × evaluationPeriods (${showSeconds(windowSeconds)}): the probe would decide ` +
          'before the alarm has judged the half-open traffic',
      );
    }
  }

  // Concurrency: closing restores the concurrency the mapping is deployed with, and must be told from half-open.
  const halfOpen = resolved.halfOpenConcurrency;
  if (given.fullConcurrency !== undefined) {
    if (props.maxConcurrency === undefined) {
      add(
        'circuitBreaker.fullConcurrency',
        String(given.fullConcurrency),
        'only with maxConcurrency, and equal to it: the mapping has no maximum, so closing restores none',
      );
    } else if (given.fullConcurrency !== props.maxConcurrency) {
      add(
        'circuitBreaker.fullConcurrency',
        String(given.fullConcurrency),
        `equal to maxConcurrency (${props.maxConcurrency}), the concurrency the mapping is deployed with: ` +
          'closing the breaker restores it, and the next deployment would undo any other',
      );
    }
  } else if (
    props.maxConcurrency !== undefined &&
    isIntegerIn(props.maxConcurrency, 2, 1_000) &&
    isIntegerIn(halfOpen, 2, 1_000) &&
    props.maxConcurrency <= halfOpen
  ) {
    // Named on the prop that was set: the half-open concurrency when given, else maxConcurrency.
    if (given.halfOpenConcurrency !== undefined) {
      add(
        'circuitBreaker.halfOpenConcurrency',
        String(halfOpen),
        `below maxConcurrency (${props.maxConcurrency}), which closing the breaker restores, or the breaker ` +
          'cannot tell half-open from closed',
      );
    } else {
      add(
        'maxConcurrency',
        String(props.maxConcurrency),
        `above circuitBreaker.halfOpenConcurrency (${halfOpen}) while the circuit breaker is on, or it cannot ` +
          'tell half-open from closed; raise maxConcurrency, or turn the breaker off',
      );
    }
  }
  return problems;
}
