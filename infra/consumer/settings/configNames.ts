import { durationSeconds, isDuration } from '../durations/durationSeconds.js';
import type { SettingProblem } from './InvalidConsumerSettingsError.js';
import { show } from './settingChecks.js';

/**
 * Where a settings prop that is not written as it is goes in its function's configuration: a string is the
 * configuration key of a `Duration` prop, held there in whole seconds; a pair is the configuration key of a
 * nested settings object and the names of its own fields. Props not listed keep their name and value.
 *
 * @example
 * const names: ConfigNames = { cooldown: 'cooldownSeconds', returnBreaker: ['circuitBreaker', { window: 'windowSeconds' }] };
 */
export type ConfigNames = Readonly<Record<string, string | readonly [key: string, fields: ConfigNames]>>;

/**
 * The settings as the configuration holds them (Durations in seconds, keys renamed), with a problem for each
 * value that cannot be written so: a Duration prop given something else, or a prop given by its
 * configuration name (`cooldownSeconds` where the prop is `cooldown`), which would otherwise reach the
 * configuration unnoticed. Everything else passes through for the configuration's schema to judge.
 *
 * @example
 * settingsAsConfig('redrive', { cooldown: Duration.minutes(1) }, { cooldown: 'cooldownSeconds' })
 * // { config: { cooldownSeconds: 60 }, problems: [] }
 */
export function settingsAsConfig(
  prefix: string,
  settings: object,
  names: ConfigNames,
): { config: Record<string, unknown>; problems: SettingProblem[] } {
  const config: Record<string, unknown> = {};
  const problems: SettingProblem[] = [];
  const propByConfigKey = new Map(Object.entries(names).map(([prop, name]) => [configKey(name), prop]));
  for (const [prop, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const path = prefix === '' ? prop : `${prefix}.${prop}`;
    const name = names[prop];
    if (typeof name === 'string') {
      if (isDuration(value)) config[name] = durationSeconds(value, Number.NaN);
      else
        problems.push({ prop: path, value: show(value), allowed: 'a Duration, such as Duration.minutes(5)' });
    } else if (name !== undefined) {
      const nested =
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? settingsAsConfig(path, value, name[1])
          : { config: value, problems: [] };
      config[name[0]] = nested.config;
      problems.push(...nested.problems);
    } else if (propByConfigKey.has(prop)) {
      const renamed = propByConfigKey.get(prop) as string;
      problems.push({
        prop: path,
        value: show(value),
        allowed: `unset: the prop is ${renamed}${typeof names[renamed] === 'string' ? ', a Duration' : ''}`,
      });
    } else {
      config[prop] = value;
    }
  }
  return { config, problems };
}

/**
 * The prop path a configuration path was written from: the inverse of settingsAsConfig's renaming.
 *
 * @example
 * propPathOf('circuitBreaker.windowSeconds', { returnBreaker: ['circuitBreaker', { window: 'windowSeconds' }] })
 * // 'returnBreaker.window'
 */
export function propPathOf(configPath: string, names: ConfigNames): string {
  const [head = '', ...rest] = configPath.split('.');
  const entry = Object.entries(names).find(([, name]) => configKey(name) === head);
  if (entry === undefined) return configPath;
  const [prop, name] = entry;
  if (rest.length === 0 || typeof name === 'string') return [prop, ...rest].join('.');
  return `${prop}.${propPathOf(rest.join('.'), name[1])}`;
}

function configKey(name: string | readonly [string, ConfigNames]): string {
  return typeof name === 'string' ? name : name[0];
}
