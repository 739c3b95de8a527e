import {
  MAX_MINIMUM_PROVISIONED_POLLERS,
  MAX_PROVISIONED_POLLERS,
  MIN_PROVISIONED_POLLERS,
} from '../../../lib/aws/serviceLimits.js';
import type { ProvisionedPollersSettings } from '../failsafeConsumerProps.js';
import type { SettingProblem } from './InvalidConsumerSettingsError.js';
import { isIntegerIn, show } from './settingChecks.js';

/** AWS's own defaults for an SQS mapping in provisioned mode (docs/aws-semantics.md#provisioned-pollers). */
export const PROVISIONED_POLLERS_DEFAULTS = { minimum: 2, maximum: 200 } as const;

/** The pollers with AWS's defaults completed; undefined in the default (on-demand) mode. */
export function resolveProvisionedPollers(
  settings: ProvisionedPollersSettings | undefined,
): { minimum: number; maximum: number } | undefined {
  if (settings === undefined) return undefined;
  return {
    minimum: settings.minimum ?? PROVISIONED_POLLERS_DEFAULTS.minimum,
    maximum: settings.maximum ?? PROVISIONED_POLLERS_DEFAULTS.maximum,
  };
}

/** The ranges Lambda (and CloudFormation) accept for an SQS mapping's provisioned pollers. */
export function provisionedPollersProblems(
  settings: ProvisionedPollersSettings | undefined,
): SettingProblem[] {
  if (settings === undefined) return [];
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    return [{ prop: 'provisionedPollers', value: show(settings), allowed: 'an object { minimum, maximum }' }];
  }
  const problems: SettingProblem[] = [];
  for (const key of Object.keys(settings)) {
    if (key !== 'minimum' && key !== 'maximum')
      problems.push({
        prop: `provisionedPollers.${key}`,
        value: show((settings as Record<string, unknown>)[key]),
        allowed: 'unset: not a setting (minimum, maximum)',
      });
  }
  const { minimum, maximum } = resolveProvisionedPollers(settings) as { minimum: number; maximum: number };
  const minimumValid = isIntegerIn(minimum, MIN_PROVISIONED_POLLERS, MAX_MINIMUM_PROVISIONED_POLLERS);
  if (!minimumValid) {
    problems.push({
      prop: 'provisionedPollers.minimum',
      value: show(minimum),
      allowed: `an integer from ${MIN_PROVISIONED_POLLERS} to ${MAX_MINIMUM_PROVISIONED_POLLERS} (Lambda, for SQS)`,
    });
  }
  if (!isIntegerIn(maximum, MIN_PROVISIONED_POLLERS, MAX_PROVISIONED_POLLERS)) {
    problems.push({
      prop: 'provisionedPollers.maximum',
      value: show(maximum),
      allowed: `an integer from ${MIN_PROVISIONED_POLLERS} to ${MAX_PROVISIONED_POLLERS.toLocaleString('en')} (Lambda, for SQS)`,
    });
  } else if (minimumValid && maximum < minimum) {
    problems.push({
      prop: 'provisionedPollers.maximum',
      value: show(maximum),
      allowed: `at least provisionedPollers.minimum (${minimum})`,
    });
  }
  return problems;
}
