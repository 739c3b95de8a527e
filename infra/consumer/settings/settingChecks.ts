import { formatDuration } from '../durations/formatDuration.js';
import type { SettingProblem } from './InvalidConsumerSettingsError.js';

/** Small checks and formats shared by the construct's validation rules. */

export function isIn(value: number, min: number, max: number): boolean {
  return value >= min && value <= max;
}

export function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && isIn(value, min, max);
}

/** A whole number of minutes in [min, max] seconds: what an EventBridge `rate(...)` can express. */
export function isWholeMinutesIn(seconds: number, min: number, max: number): boolean {
  return isIntegerIn(seconds, min, max) && seconds % 60 === 0;
}

export function showSeconds(seconds: number): string {
  if (Number.isNaN(seconds)) return 'an unresolved token (give a literal Duration)';
  if (!Number.isInteger(seconds) || seconds < 0) return `${seconds} s`;
  return seconds < 60 ? `${seconds} s` : `${formatDuration(seconds)} (${seconds} s)`;
}

export function show(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'toSeconds' in value) {
    return showSeconds(
      (value as { toSeconds(o: { integral: boolean }): number }).toSeconds({ integral: false }),
    );
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The runtime's own validation lines (`path: must be ... (got value)`, from its configuration schemas) as
 * the construct's problems, named by the prop they came from: the construct validates its settings with
 * the same schema the deployed function reads them with, and reports them like every other rule.
 *
 * @example
 * settingProblemsFrom('redrive', { cooldownSeconds: -1 }, ['cooldownSeconds: must be an integer from 0 to 604800 (got -1)'])
 * // [{ prop: 'redrive.cooldownSeconds', value: '-1', allowed: 'an integer from 0 to 604800' }]
 */
export function settingProblemsFrom(
  prefix: string,
  input: unknown,
  lines: readonly string[],
): SettingProblem[] {
  return lines.map((line) => {
    const match = /^([^:\s]+): (.*?)(?: \(got (.*)\))?$/s.exec(line);
    if (match === null) return { prop: prefix, value: show(input), allowed: line };
    const [, path = '', message = '', given] = match;
    const value = valueAt(input, path);
    return {
      prop: [prefix, path].filter(Boolean).join('.'),
      value: value === undefined ? (given ?? 'unset') : show(value),
      allowed: message.replace(/^must be /, ''),
    };
  });
}

function valueAt(input: unknown, path: string): unknown {
  let value = input;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
