import type { Duration } from 'aws-cdk-lib';

/**
 * A literal Duration in seconds (fractions kept, so validation can refuse them), the fallback when there is
 * none, NaN for a token or anything else: the retry math needs numbers at synth time, and validation refuses NaN.
 *
 * @example
 * durationSeconds(Duration.minutes(2), 30) // 120
 * durationSeconds(undefined, 30) // 30
 */
export function durationSeconds(duration: Duration | undefined, fallback: number): number {
  if (duration === undefined) return fallback;
  // A JavaScript caller may pass anything: not a Duration is as unusable as a token, and validation says so.
  if (!isDuration(duration) || duration.isUnresolved()) return Number.NaN;
  return duration.toSeconds({ integral: false });
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
