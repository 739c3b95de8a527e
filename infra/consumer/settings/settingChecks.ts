import { describeSeconds } from '../../../lib/time/formatDuration.js';
import { durationSeconds, isDuration } from '../durations/durationSeconds.js';

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
  return describeSeconds(seconds);
}

export function show(value: unknown): string {
  if (isDuration(value)) return showSeconds(durationSeconds(value, Number.NaN));
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
