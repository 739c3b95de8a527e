import {
  BATCH_CONFIG_DEFAULTS,
  batchConfigProblems,
  type IdempotencyConfig,
} from '../../../lib/config/batchConfig.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import { type ConfigNames, settingsAsConfig } from '../settings/configNames.js';
import type { SettingProblem } from '../settings/InvalidConsumerSettingsError.js';
import { show } from '../settings/settingChecks.js';
import { settingProblemsFrom } from '../settings/settingProblemsFrom.js';

/** How the idempotency settings are written into SQS_FAILSAFE_CONFIG's `idempotency` (see IdempotencyConfig). */
const IDEMPOTENCY_CONFIG_NAMES: ConfigNames = {
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

/** Every problem with the idempotency settings, through the schema the runtime reads them with. */
export function idempotencySettingsProblems(props: FailsafeConsumerProps): SettingProblem[] {
  const problems: SettingProblem[] = [];
  // Not in the type, but a JavaScript caller could still pass it: it would bypass the table the construct makes.
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
  const { config, problems: unwritable } = settingsAsConfig(
    'idempotency',
    settings,
    IDEMPOTENCY_CONFIG_NAMES,
  );
  problems.push(...unwritable);
  // A placeholder table name: the construct's table is valid, only the user's settings are judged.
  const lines = batchConfigProblems({ idempotency: { tableName: 'idempotency-table', ...config } });
  problems.push(
    ...settingProblemsFrom('', { idempotency: settings }, lines, {
      idempotency: ['idempotency', IDEMPOTENCY_CONFIG_NAMES],
    }),
  );
  return problems;
}
