import {
  type ConsumerBreakerConfig,
  consumerBreakerConfigProblems,
} from '../../../lib/config/consumerBreakerConfig.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import type { SettingProblem } from '../settings/InvalidConsumerSettingsError.js';
import { settingProblemsFrom } from '../settings/settingProblemsFrom.js';
import { isNotAboutAToken, withTokenStandIns } from '../settings/tokenStandIns.js';
import {
  BREAKER_CONFIG_NAMES,
  type ResolvedBreakerSettings,
  resolveBreakerSettings,
} from './breakerSettings.js';

/** What the construct fills into the controller's configuration. */
export interface BreakerControllerAddresses {
  /** The consumer's event source mapping (a reference, known on deploy). */
  readonly mappingUuid: string;
  readonly alarmName: string;
  readonly topicArn: string;
}

/**
 * What the construct writes into the breaker controller's SQS_FAILSAFE_BREAKER_CONFIG. The one builder for
 * validation (stand-in addresses) and for the deployed controller, so that what is validated is what is written.
 *
 * @example
 * breakerControllerConfig(settings, { mappingUuid: eventSource.eventSourceMappingId, alarmName, topicArn });
 */
export function breakerControllerConfig(
  settings: ResolvedBreakerSettings,
  addresses: BreakerControllerAddresses,
): ConsumerBreakerConfig {
  return {
    mappingUuid: addresses.mappingUuid,
    alarmName: addresses.alarmName,
    topicArn: addresses.topicArn,
    coolDownSeconds: settings.cooldownSeconds,
    halfOpenConcurrency: settings.halfOpenConcurrency,
    ...(settings.fullConcurrency === undefined ? {} : { fullConcurrency: settings.fullConcurrency }),
    probeSeconds: settings.probeSeconds,
  };
}

/**
 * What the controller would refuse at cold start (readConsumerBreakerConfig), judged on the configuration the
 * construct writes for it. The concurrency it restores is `maxConcurrency` unless `fullConcurrency` is given, so
 * a problem with it is reported on the prop that set it.
 */
export function breakerControllerConfigProblems(
  props: FailsafeConsumerProps,
  alarmName: string,
): SettingProblem[] {
  const settings = resolveBreakerSettings(props);
  if (settings === undefined || props.circuitBreaker === false) return [];
  const written = breakerControllerConfig(settings, {
    mappingUuid: '00000000-0000-4000-8000-000000000000',
    alarmName,
    topicArn: 'arn:aws:sns:us-east-1:111122223333:outcomes',
  });
  const lines = consumerBreakerConfigProblems(withTokenStandIns(written)).filter(isNotAboutAToken);
  const given = props.circuitBreaker ?? {};
  return lines.flatMap((line) => {
    if (!line.startsWith('fullConcurrency:') || given.fullConcurrency !== undefined)
      return settingProblemsFrom('circuitBreaker', given, [line], BREAKER_CONFIG_NAMES);
    // Not given, the restored concurrency is maxConcurrency: reported on the prop that was set, as
    // breakerSettingsProblems reports its agreement with halfOpenConcurrency.
    const rest = line.slice('fullConcurrency'.length);
    return given.halfOpenConcurrency !== undefined
      ? settingProblemsFrom('circuitBreaker', given, [`halfOpenConcurrency${rest}`])
      : settingProblemsFrom('', { maxConcurrency: props.maxConcurrency }, [`maxConcurrency${rest}`]);
  });
}
