import type { Duration } from 'aws-cdk-lib';
import { durationSeconds } from '../durations/durationSeconds.js';
import { formatDuration } from '../durations/formatDuration.js';

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
  if (isDuration(value)) return showSeconds(durationSeconds(value, Number.NaN));
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Whether a value is a CDK Duration, told by its shape: `instanceof` fails when the app and this package
 * resolve two copies of aws-cdk-lib.
 */
export function isDuration(value: unknown): value is Duration {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Duration>).toSeconds === 'function' &&
    typeof (value as Partial<Duration>).isUnresolved === 'function'
  );
}
