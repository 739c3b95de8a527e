import type { Duration } from 'aws-cdk-lib';

/**
 * A literal Duration in seconds (fractions kept, so validation can refuse them), the fallback when there is
 * none, NaN for a token: the retry math needs numbers at synth time, and validation refuses NaN.
 *
 * @example
 * durationSeconds(Duration.minutes(2), 30) // 120
 * durationSeconds(undefined, 30) // 30
 */
export function durationSeconds(duration: Duration | undefined, fallback: number): number {
  if (duration === undefined) return fallback;
  if (duration.isUnresolved()) return Number.NaN;
  return duration.toSeconds({ integral: false });
}
