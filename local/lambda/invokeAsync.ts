import type { InvocationOutcome, LocalFunction } from './localFunction.js';

/** Lambda retries a failed asynchronous invocation twice, with delays of about one and two minutes. */
const ASYNC_RETRIES = 2;

/**
 * An asynchronous invocation (SNS, alarm actions, schedules, InvocationType Event): queued until an
 * environment is free, retried twice on error or timeout. Retry delays are compressed like alarm periods.
 */
export async function invokeAsync(
  fn: LocalFunction,
  event: unknown,
  options: { timeScale: number; onGiveUp?: (outcome: InvocationOutcome) => void },
): Promise<InvocationOutcome> {
  let outcome: InvocationOutcome = { status: 'throttled' };
  for (let attempt = 0; attempt <= ASYNC_RETRIES; attempt += 1) {
    if (attempt > 0)
      await new Promise((resolve) => setTimeout(resolve, (60_000 * attempt) / options.timeScale));
    outcome = await fn.invoke(event, { waitForCapacity: true });
    if (outcome.status === 'ok') return outcome;
  }
  options.onGiveUp?.(outcome);
  return outcome;
}
