import { BATCH_CONFIG_DEFAULTS } from './batchConfigDefaults.js';

/**
 * The functions the configuration's schemas call (custom schemas and cross-key checks), named and
 * exported so that the compiled acceptance checks (test/codegen/compileAcceptance.ts) call the very same
 * code instead of a copy.
 */

/** A schedule of waits never shortens: a backoff. */
export const nonDecreasing = (values: number[]): boolean =>
  values.every((value, index) => index === 0 || value >= (values[index - 1] as number));

/** An explicit retry schedule fixes the attempts and delays, so it stands alone. */
export const retryScheduleStandsAlone = (retry: {
  readonly scheduleMs?: number[];
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly multiplier?: number;
}): boolean =>
  retry.scheduleMs === undefined ||
  [retry.maxAttempts, retry.baseDelayMs, retry.maxDelayMs, retry.multiplier].every(
    (value) => value === undefined,
  );

export const retryDelaysInOrder = (retry: { readonly baseDelayMs?: number; readonly maxDelayMs?: number }) =>
  (retry.maxDelayMs ?? BATCH_CONFIG_DEFAULTS.retry.maxDelayMs) >=
  (retry.baseDelayMs ?? BATCH_CONFIG_DEFAULTS.retry.baseDelayMs);

/** Same for the redelivery backoff's schedule. */
export const backoffScheduleStandsAlone = (backoff: {
  readonly scheduleSeconds?: number[];
  readonly baseSeconds?: number;
  readonly maxSeconds?: number;
  readonly multiplier?: number;
}): boolean =>
  backoff.scheduleSeconds === undefined ||
  [backoff.baseSeconds, backoff.maxSeconds, backoff.multiplier].every((value) => value === undefined);

export const backoffDelaysInOrder = (backoff: {
  readonly baseSeconds?: number;
  readonly maxSeconds?: number;
}) =>
  (backoff.maxSeconds ?? BATCH_CONFIG_DEFAULTS.redeliveryBackoff.maxSeconds) >=
  (backoff.baseSeconds ?? BATCH_CONFIG_DEFAULTS.redeliveryBackoff.baseSeconds);

export const isNonNullObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null;

/** An object that is not an array: what a configuration and each of its parts must be. */
export const isPlainObject = (value: unknown): value is object =>
  isNonNullObject(value) && !Array.isArray(value);

/** Has the four methods the runtime logs with (a Powertools Logger has them). */
export const isLogger = (value: unknown): boolean =>
  isNonNullObject(value) &&
  ['debug', 'info', 'warn', 'error'].every(
    (level) => typeof (value as Record<string, unknown>)[level] === 'function',
  );

export const isStandardSchema = (value: unknown): boolean => isNonNullObject(value) && '~standard' in value;

export const isOutcomeStage = (value: unknown): boolean =>
  isNonNullObject(value) &&
  typeof (value as { name?: unknown }).name === 'string' &&
  typeof (value as { run?: unknown }).run === 'function';
