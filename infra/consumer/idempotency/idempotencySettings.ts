import { BATCH_CONFIG_DEFAULTS, type IdempotencyConfig } from '../../../lib/config/batchConfig.js';
import { durationSeconds } from '../durations/durationSeconds.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import { type ConfigNames, settingsAsConfig } from '../settings/configNames.js';
import type { SettingProblem } from '../settings/InvalidConsumerSettingsError.js';
import { show } from '../settings/settingChecks.js';

/** How the idempotency settings are written into SQS_FAILSAFE_CONFIG's `idempotency` (see IdempotencyConfig). */
export const IDEMPOTENCY_CONFIG_NAMES: ConfigNames = {
  expiresAfter: 'expiresAfterSeconds',
  inProgressExpiry: 'inProgressExpirySeconds',
};

/**
 * What the construct writes as `idempotency` in SQS_FAILSAFE_CONFIG, given the table's name (a token):
 * durations in seconds, `expiresAfterSeconds` completed with its default, so the runtime applies none of
 * its own.
 */
export function idempotencyConfig(props: FailsafeConsumerProps, tableName: string): IdempotencyConfig {
  const { removalPolicy: _removalPolicy, ...settings } = props.idempotency ?? {};
  const { config } = settingsAsConfig('idempotency', settings, IDEMPOTENCY_CONFIG_NAMES);
  return {
    ...config,
    tableName,
    expiresAfterSeconds:
      (config.expiresAfterSeconds as number | undefined) ??
      BATCH_CONFIG_DEFAULTS.idempotency.expiresAfterSeconds,
  };
}

/** How long a completed key suppresses duplicates, as written (the default when not given). */
export function idempotencyExpiresAfterSeconds(props: FailsafeConsumerProps): number {
  return durationSeconds(
    props.idempotency?.expiresAfter,
    BATCH_CONFIG_DEFAULTS.idempotency.expiresAfterSeconds,
  );
}

/**
 * The problems with the idempotency settings that the configuration cannot show: a duration that is not a
 * Duration, and the runtime's own `failsafe.idempotency`, which would bypass the table the construct makes.
 * Everything written is judged with the rest of SQS_FAILSAFE_CONFIG (consumerConfigProblems).
 */
export function idempotencySettingsProblems(props: FailsafeConsumerProps): SettingProblem[] {
  const problems: SettingProblem[] = [];
  // Not in the type, but a JavaScript caller could still pass it.
  const runtimeIdempotency = (props.failsafe as { idempotency?: unknown } | undefined)?.idempotency;
  if (runtimeIdempotency !== undefined) {
    problems.push({
      prop: 'failsafe.idempotency',
      value: show(runtimeIdempotency),
      allowed:
        'unset: use the idempotency prop, with which the construct creates the table and grants access',
    });
  }
  if (props.idempotency === undefined) return problems;
  const { removalPolicy: _removalPolicy, ...settings } = props.idempotency;
  problems.push(...settingsAsConfig('idempotency', settings, IDEMPOTENCY_CONFIG_NAMES).problems);
  return problems;
}
