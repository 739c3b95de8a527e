import { formatDuration } from '../../../lib/time/formatDuration.js';
import { isDuration } from '../durations/durationSeconds.js';
import { type ConfigNames, propPathOf } from './configNames.js';
import type { SettingProblem } from './InvalidConsumerSettingsError.js';
import { show } from './settingChecks.js';

/**
 * The runtime's own validation lines (`path: must be ... (got value)`, from its configuration schemas) as
 * the construct's problems, named by the prop they came from as the user wrote it: the construct validates
 * its settings with the same schema the deployed function reads them with, and reports them like every
 * other rule. `settings` are the props as given; `names` say how they were written into the configuration
 * (see settingsAsConfig), so a range the schema states in seconds is stated for a Duration prop in its units.
 *
 * @example
 * settingProblemsFrom('redrive', { cooldown: Duration.days(8) }, ['cooldownSeconds: must be an integer from 0 to 604800 (got 691200)'], { cooldown: 'cooldownSeconds' })
 * // [{ prop: 'redrive.cooldown', value: '8 days (691200 s)', allowed: 'whole seconds from 0 s to 7 days' }]
 */
export function settingProblemsFrom(
  prefix: string,
  settings: unknown,
  lines: readonly string[],
  names: ConfigNames = {},
): SettingProblem[] {
  return lines.map((line) => {
    const match = /^([^:\s]+): (.*?)(?: \(got (.*)\))?$/s.exec(line);
    if (match === null) return { prop: prefix, value: show(settings), allowed: line };
    const [, configPath = '', message = '', given] = match;
    const path = propPathOf(configPath, names);
    const value = valueAt(settings, path);
    const allowed = message.replace(/^must be /, '');
    return {
      // List positions as a user writes them: `scheduleSeconds[1]`, not the schema's `scheduleSeconds.1`.
      prop: [prefix, path]
        .filter(Boolean)
        .join('.')
        .replace(/\.(\d+)(?=\.|$)/g, '[$1]'),
      value: value === undefined ? (given ?? 'unset') : show(value),
      allowed: isDuration(value) ? inDurationUnits(allowed) : allowed,
    };
  });
}

/** `an integer from 60 to 604800`, said of seconds, as a Duration prop's range: `whole seconds from 1 min to 7 days`. */
function inDurationUnits(allowed: string): string {
  return allowed.replace(
    /^an integer from (\d+) to (\d+)/,
    (_, min: string, max: string) =>
      `whole seconds from ${formatDuration(Number(min))} to ${formatDuration(Number(max))}`,
  );
}

function valueAt(input: unknown, path: string): unknown {
  let value = input;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
